"""Readers' "was this helpful?" answers (rate-limited per network address) and searches that found nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import zlib

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import DomainError, FieldError, NotFound, ValidationFailed
from haumai.core.text import search_key
from haumai.knowledge import conf
from haumai.knowledge.models import (
    Article,
    ArticleStatus,
    Feedback,
    FeedbackReason,
    Language,
    SearchSource,
    UnansweredSearch,
)


class RateLimited(DomainError):
    """Too many answers from this network; try later."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message, code="rate_limited", status=429)


def visitor_key(ip_address: str | None) -> str:
    """An HMAC of the network address: enough to limit abuse, not enough to identify anyone."""
    message = f"haumai.knowledge.visitor:{ip_address or 'unknown'}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _serialize_visitor(key: str) -> None:
    # Two parallel answers from one address must not both pass the limit: one waits for the other.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7716, zlib.crc32(key.encode()) - 2**31])


@transaction.atomic
def record_feedback(
    *, article: Article, helpful: bool, reason: str = "", comment: str = "", ip_address: str | None
) -> Feedback:
    """Record one answer on a published article; one per article per address per day, a few per hour."""
    errors = []
    if reason and reason not in FeedbackReason.values:
        errors.append(FieldError("reason", _("Choose one of the listed reasons")))
    comment = (comment or "").strip()
    if len(comment) > 500:
        errors.append(FieldError("comment", _("The comment is too long (at most 500 characters)")))
    if errors:
        raise ValidationFailed(_("Your answer was not saved"), errors)
    if not Article.objects.filter(pk=article.pk, status=ArticleStatus.PUBLISHED).exists():
        raise NotFound(_("This article is not published"))
    key = visitor_key(ip_address)
    _serialize_visitor(key)
    moment = clock.now()
    limit = conf.feedback_per_hour()
    recent = Feedback.objects.filter(visitor_key=key, created_at__gte=moment - dt.timedelta(hours=1))
    if recent[:limit].count() >= limit:
        raise RateLimited(_("Thank you! We have received many answers from your network; try again later."))
    today = Feedback.objects.filter(visitor_key=key, article=article, created_at__gte=moment - dt.timedelta(days=1))
    if today.exists():
        raise RateLimited(_("You already told us about this article today. Thank you!"))
    return Feedback.objects.create(
        article=article, helpful=helpful, reason=reason, comment=comment, visitor_key=key, created_at=moment
    )


def record_unanswered_search(*, query: str, language: str, source: str = SearchSource.HELP_CENTER) -> bool:
    """Keep a search that found nothing (a content gap); ignores empty or one-letter queries."""
    text = " ".join((query or "").split())[:200]
    key = search_key(text)[:200]
    if len(key) < 2:
        return False
    UnansweredSearch.objects.create(
        query=text,
        query_key=key,
        language=language if language in Language.values else Language.VI,
        source=source if source in SearchSource.values else SearchSource.HELP_CENTER,
    )
    return True
