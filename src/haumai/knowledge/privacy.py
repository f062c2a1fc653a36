"""Personal data held by the knowledge base (haumai.privacy). Readers are anonymous: feedback keeps only an
HMAC of the network address (for rate limits) and an optional comment, which may quote personal details,
so comments and the address key expire; searches that found nothing are what people typed (they may type
a phone or a name), so they expire too. Articles are the retailer's content, written by staff."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from haumai.knowledge.models import Feedback, UnansweredSearch
from haumai.privacy.registry import SUBJECT_VISITOR, PersonalDataSource, PersonalModel, RetentionRule, register

BATCH = 5000


def purge_feedback_comments(cutoff: dt.datetime) -> int:
    """Clear comments and visitor keys of answers older than the cutoff (the yes/no and reason stay)."""
    ids = list(
        Feedback.objects.filter(created_at__lt=cutoff).exclude(comment="", visitor_key="").values_list("id", flat=True)[
            :BATCH
        ]
    )
    return Feedback.objects.filter(pk__in=ids).update(comment="", visitor_key="")


def purge_unanswered_searches(cutoff: dt.datetime) -> int:
    """Delete recorded searches older than the cutoff."""
    ids = list(UnansweredSearch.objects.filter(created_at__lt=cutoff).values_list("id", flat=True)[:BATCH])
    return UnansweredSearch.objects.filter(pk__in=ids).delete()[0]


register(
    PersonalDataSource(
        app="knowledge",
        models=(
            PersonalModel(
                "knowledge.Feedback",
                ("comment", "visitor_key"),
                subject=SUBJECT_VISITOR,
                handling="anonymous; comment and address key cleared after the retention period",
            ),
            PersonalModel(
                "knowledge.UnansweredSearch",
                ("query", "query_key"),
                subject=SUBJECT_VISITOR,
                handling="anonymous search text; deleted after the retention period",
            ),
        ),
        not_personal={
            # Help content written by staff for the public.
            "knowledge.Article": ("title", "summary", "body_html", "body_text", "title_key", "search_text",
                                  "video_url", "slug"),
            "knowledge.ArticleVersion": ("title", "summary", "body_html", "video_url"),
            "knowledge.ArticleImage": ("image", "alt_text"),
            "knowledge.HelpCategory": ("name_vi", "name_en", "description_vi", "description_en"),
        },
        retention=(
            RetentionRule(
                key="knowledge.feedback_comments",
                label=_("Help-center feedback comments"),
                setting="HAUMAI_RETENTION_KNOWLEDGE_FEEDBACK_DAYS",
                default_days=365,
                purge=purge_feedback_comments,
            ),
            RetentionRule(
                key="knowledge.unanswered_searches",
                label=_("Help-center searches that found nothing"),
                setting="HAUMAI_RETENTION_KNOWLEDGE_SEARCHES_DAYS",
                default_days=180,
                purge=purge_unanswered_searches,
            ),
        ),
    )
)
