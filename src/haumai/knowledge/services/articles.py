"""Articles: create and edit (sanitized, validated), draft -> in review -> published -> archived, versions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haumai.catalog.models import Category as ProductCategory
from haumai.catalog.models import Product
from haumai.core import clock
from haumai.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from haumai.events.services import record_event
from haumai.knowledge import content
from haumai.knowledge.models import (
    Article,
    ArticleImage,
    ArticleKind,
    ArticleStatus,
    ArticleVersion,
    HelpCategory,
    Language,
)
from haumai.knowledge.services.troubleshooting import check_complete

MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


@dataclass(frozen=True)
class ArticleInput:
    """What an editor typed. Ids are checked; the body is sanitized."""

    title: str
    body_html: str = ""
    summary: str = ""
    language: str = Language.VI
    kind: str = ArticleKind.ARTICLE
    slug: str = ""
    video_url: str = ""
    category_id: int | None = None
    product_id: int | None = None
    product_category_id: int | None = None


@dataclass(frozen=True)
class _Checked:
    values: dict[str, Any]
    slug: str


def _check(data: ArticleInput) -> _Checked:
    errors: list[FieldError] = []
    title = (data.title or "").strip()
    if not title:
        errors.append(FieldError("title", _("Enter a title")))
    elif len(title) > 200:
        errors.append(FieldError("title", _("The title is too long (at most 200 characters)")))
    summary = (data.summary or "").strip()
    if len(summary) > 300:
        errors.append(FieldError("summary", _("The summary is too long (at most 300 characters)")))
    if data.language not in Language.values:
        errors.append(FieldError("language", _("Choose Vietnamese or English")))
    if data.kind not in ArticleKind.values:
        errors.append(FieldError("kind", _("Choose a kind of article")))
    if len(data.body_html or "") > content.MAX_BODY:
        errors.append(FieldError("body_html", _("The body is too long (at most 200,000 characters)")))
    body = content.clean_body(data.body_html or "")
    if data.kind == ArticleKind.FAQ and not content.body_text(body):
        errors.append(FieldError("body_html", _("An FAQ entry needs an answer")))
    video = (data.video_url or "").strip()
    if video and content.embed_url(video) is None:
        errors.append(FieldError("video_url", _("Only YouTube or Vimeo video links can be embedded")))
    slug_typed = (data.slug or "").strip()
    slug = content.slug_for(slug_typed or title)
    if slug_typed and slug != slug_typed.lower():
        errors.append(FieldError("slug", _("Use lower-case letters, digits and hyphens only, e.g. %(slug)s")
                                 % {"slug": slug}))
    category = product = product_category = None
    if data.category_id is not None:
        category = HelpCategory.objects.filter(pk=data.category_id).first()
        if category is None:
            errors.append(FieldError("category", _("This help category does not exist")))
    if data.product_id is not None:
        product = Product.objects.filter(pk=data.product_id).first()
        if product is None:
            errors.append(FieldError("product", _("This product does not exist")))
    if data.product_category_id is not None:
        product_category = ProductCategory.objects.filter(pk=data.product_category_id).first()
        if product_category is None:
            errors.append(FieldError("product_category", _("This product category does not exist")))
    if data.kind == ArticleKind.GUIDE and product is None and product_category is None and not errors:
        errors.append(FieldError("product", _("A usage guide is for a product or a product category")))
    if errors:
        raise ValidationFailed(_("The article was not saved"), errors)
    text = content.body_text(body)
    values = {
        "title": title,
        "summary": summary,
        "body_html": body,
        "body_text": text,
        "video_url": video,
        "kind": data.kind,
        "category": category,
        "product": product,
        "product_category": product_category,
        "title_key": content.search_text(title=title, summary="", text="")[:200],
        "search_text": content.search_text(title=title, summary=summary, text=text),
    }
    return _Checked(values=values, slug=slug)


def _require(actor: Any, permission: str) -> None:
    if not actor.has_perm(permission):
        raise Forbidden(_("You do not have permission to do this"))


def _event(name: str, article: Article, actor: Any, **extra: Any) -> None:
    record_event(
        name=name,
        subject=article,
        actor=actor,
        payload={"title": article.title, "slug": article.slug, "language": article.language,
                 "version": article.version, **extra},
    )


def create_article(*, actor: Any, data: ArticleInput, translation_of: Article | None = None) -> Article:
    """Create a draft (optionally the translation of another article); the slug gets -2, -3 ... when taken."""
    _require(actor, "knowledge.add_article")
    checked = _check(data)
    key = translation_of.translation_key if translation_of is not None else uuid.uuid4()
    if translation_of is not None and Article.objects.filter(translation_key=key, language=data.language).exists():
        raise ValidationFailed(_("The article was not saved"),
                               [FieldError("language", _("This article already has a version in this language"))])
    for attempt in range(1, 50):
        slug = checked.slug if attempt == 1 else f"{checked.slug[:195]}-{attempt}"
        if Article.objects.filter(language=data.language, slug=slug).exists():
            continue
        try:
            with transaction.atomic():
                article = Article.objects.create(
                    translation_key=key, language=data.language, slug=slug, status=ArticleStatus.DRAFT,
                    author=actor, updated_by=actor, **checked.values,
                )
                _event("article.created", article, actor)
                return article
        except IntegrityError:
            # Another editor took the slug between the check and the insert: try the next one.
            continue
    raise Conflict(_("No free address (slug) was found for this title"))


def _locked(article: Article) -> Article:
    found = Article.objects.select_for_update().filter(pk=article.pk).first()
    if found is None:
        raise NotFound(_("This article no longer exists"))
    return found


def _keep_version(article: Article, actor: Any) -> None:
    ArticleVersion.objects.create(
        article=article, number=article.version, title=article.title, summary=article.summary,
        body_html=article.body_html, video_url=article.video_url, status=article.status,
        saved_by=article.updated_by, saved_at=article.updated_at or clock.now(),
    )


@transaction.atomic
def update_article(*, actor: Any, article: Article, data: ArticleInput) -> Article:
    """Save an edit. Saving a published article keeps the previous content as a version (publishers only)."""
    _require(actor, "knowledge.change_article")
    locked = _locked(article)
    if locked.status == ArticleStatus.PUBLISHED:
        _require(actor, "knowledge.publish_article")
    if data.language != locked.language:
        raise ValidationFailed(_("The article was not saved"),
                               [FieldError("language", _("The language of an article cannot change"))])
    checked = _check(data)
    if checked.slug != locked.slug and Article.objects.filter(language=locked.language, slug=checked.slug).exists():
        raise ValidationFailed(_("The article was not saved"),
                               [FieldError("slug", _("Another article already uses this address"))])
    if locked.status == ArticleStatus.PUBLISHED:
        _keep_version(locked, actor)
        locked.version += 1
    for name, value in checked.values.items():
        setattr(locked, name, value)
    locked.slug = checked.slug
    locked.updated_by = actor
    if locked.status == ArticleStatus.PUBLISHED:
        check_complete(locked)  # a published article turned into a troubleshooting one needs its tree first
    locked.save()
    _event("article.updated", locked, actor)
    return locked


def _move(actor: Any, article: Article, allowed_from: tuple[str, ...], to: str, event: str) -> Article:
    locked = _locked(article)
    if locked.status not in allowed_from:
        raise Conflict(
            _("This article is %(status)s; it cannot be moved to %(target)s")
            % {"status": locked.get_status_display(), "target": ArticleStatus(to).label},
            code="invalid_transition",
        )
    if to == ArticleStatus.PUBLISHED and locked.published_at is None:
        locked.published_at = clock.now()
    locked.status = to
    locked.updated_by = actor
    locked.save(update_fields=["status", "published_at", "updated_by", "updated_at"])
    _event(event, locked, actor)
    return locked


@transaction.atomic
def submit_for_review(*, actor: Any, article: Article) -> Article:
    """Draft -> in review."""
    _require(actor, "knowledge.change_article")
    return _move(actor, article, (ArticleStatus.DRAFT,), ArticleStatus.IN_REVIEW, "article.submitted")


@transaction.atomic
def publish(*, actor: Any, article: Article) -> Article:
    """In review (or draft, or archived) -> published; managers and admins only."""
    _require(actor, "knowledge.publish_article")
    check_complete(article)
    return _move(actor, article, (ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW, ArticleStatus.ARCHIVED),
                 ArticleStatus.PUBLISHED, "article.published")


@transaction.atomic
def return_to_draft(*, actor: Any, article: Article) -> Article:
    """In review -> draft (changes requested)."""
    _require(actor, "knowledge.change_article")
    return _move(actor, article, (ArticleStatus.IN_REVIEW,), ArticleStatus.DRAFT, "article.returned")


@transaction.atomic
def archive(*, actor: Any, article: Article) -> Article:
    """Published -> archived (no longer shown in the help center)."""
    _require(actor, "knowledge.publish_article")
    return _move(actor, article, (ArticleStatus.PUBLISHED,), ArticleStatus.ARCHIVED, "article.archived")


@transaction.atomic
def upload_image(*, actor: Any, file: UploadedFile, alt_text: str = "") -> ArticleImage:
    """Store an image for article bodies (JPEG, PNG, WebP or GIF, at most 5 MB)."""
    _require(actor, "knowledge.change_article")
    errors = []
    if (file.content_type or "") not in IMAGE_TYPES:
        errors.append(FieldError("image", _("Upload a JPEG, PNG, WebP or GIF image")))
    if (file.size or 0) > MAX_IMAGE_BYTES:
        errors.append(FieldError("image", _("The image is larger than 5 MB")))
    if not errors:
        try:
            from PIL import Image

            with Image.open(file) as picture:
                picture.verify()
            file.seek(0)
        except Exception:
            errors.append(FieldError("image", _("This file is not a readable image")))
    if errors:
        raise ValidationFailed(_("The image was not saved"), errors)
    return ArticleImage.objects.create(image=file, alt_text=alt_text.strip()[:200], uploaded_by=actor)
