"""Help-center content: categories, articles (one row per language, linked by a translation key),
their saved versions, readers' feedback and the searches that found nothing (content gaps).

An FAQ entry is an article of kind "faq" (title = question, body = answer); a usage guide is an article
of kind "guide" linked to a catalog product or a catalog category; a troubleshooting article
(kind "diagnose") carries a tree of steps: questions whose answers lead to further steps, and ends
(a fix to try, "book a repair", or "talk to us").
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from haumai.core import clock


class Language(models.TextChoices):
    VI = "vi", _("Vietnamese")
    EN = "en", _("English")


class ArticleKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    FAQ = "faq", _("FAQ entry")
    GUIDE = "guide", _("Usage guide")
    TROUBLESHOOTING = "diagnose", _("Troubleshooting")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class FeedbackReason(models.TextChoices):
    SOLVED = "solved", _("It answered my question")
    UNCLEAR = "unclear", _("Hard to understand")
    INCOMPLETE = "incomplete", _("Missing information")
    OUTDATED = "outdated", _("Out of date or wrong")
    NOT_RELEVANT = "not_relevant", _("Not what I was looking for")
    OTHER = "other", _("Other")


class SearchSource(models.TextChoices):
    HELP_CENTER = "help_center", _("Help center")
    CONSOLE = "console", _("Console")
    INBOX = "inbox", _("Support inbox")
    BOT = "bot", _("Bot")


class HelpCategory(models.Model):
    """A section of the help center (e.g. "Bảo hành", "Đổi trả"), named in both languages."""

    slug = models.SlugField(max_length=80, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description_vi = models.CharField(_("description (Vietnamese)"), max_length=300, blank=True)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    icon = models.CharField(max_length=40, default="book-open")
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "name_vi"]
        verbose_name_plural = "help categories"

    def __str__(self) -> str:
        return self.name_vi

    def name_in(self, language: str) -> str:
        """The category's name in a language (Vietnamese when the English name is missing)."""
        return (self.name_en if language == Language.EN else "") or self.name_vi

    def description_in(self, language: str) -> str:
        """The category's description in a language (Vietnamese when the English one is missing)."""
        return (self.description_en if language == Language.EN else "") or self.description_vi


class Article(models.Model):
    """One article in one language; its translations share `translation_key`."""

    translation_key = models.UUIDField(default=uuid.uuid4, db_index=True)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.VI)
    kind = models.CharField(max_length=10, choices=ArticleKind.choices, default=ArticleKind.ARTICLE)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=220)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body_html = models.TextField(_("body"), blank=True)  # sanitized on save (services)
    body_text = models.TextField(blank=True)  # plain reading of the body, for snippets
    video_url = models.URLField(_("video link (YouTube or Vimeo)"), max_length=300, blank=True)
    category = models.ForeignKey(
        HelpCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    product_category = models.ForeignKey(
        "catalog.Category", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)
    # Folded (no diacritics, lower case) texts for search; written by the services on every save.
    title_key = models.CharField(max_length=200, blank=True)
    search_text = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        permissions = [("publish_article", "Can publish and archive help articles")]
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="knowledge_article_slug_per_language"),
            models.UniqueConstraint(fields=["translation_key", "language"], name="knowledge_article_one_per_language"),
        ]
        indexes = [
            models.Index(fields=["status", "language", "-published_at"], name="knowledge_article_public"),
            models.Index(fields=["category", "status", "language"], name="knowledge_article_category"),
            models.Index(fields=["product", "kind", "status"], name="knowledge_article_product"),
            models.Index(fields=["product_category", "kind", "status"], name="knowledge_article_prodcat"),
            models.Index(fields=["-updated_at", "-id"], name="knowledge_article_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED


class ArticleVersion(models.Model):
    """The content of an article as it was before a later save replaced it (published versions are kept)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    body_html = models.TextField(blank=True)
    video_url = models.URLField(max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=ArticleStatus.choices)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="knowledge_version_number")]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class ArticleImage(models.Model):
    """An image uploaded for use in article bodies (referenced by its URL)."""

    image = models.ImageField(upload_to="knowledge/%Y/%m/")
    alt_text = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.alt_text or self.image.name


class Feedback(models.Model):
    """An anonymous "was this helpful?" answer (no customer, no IP: only a hashed network key for limits)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    reason = models.CharField(max_length=20, choices=FeedbackReason.choices, blank=True)
    comment = models.CharField(max_length=500, blank=True)
    visitor_key = models.CharField(max_length=64)  # HMAC of the network address, for rate limits
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["article", "helpful"], name="knowledge_feedback_article"),
                   models.Index(fields=["visitor_key", "created_at"], name="knowledge_feedback_visitor")]

    def __str__(self) -> str:
        return f"{self.article_id}: {'yes' if self.helpful else 'no'}"


class UnansweredSearch(models.Model):
    """A search that found no published article: one row per search, grouped by `query_key` in reports."""

    query = models.CharField(max_length=200)
    query_key = models.CharField(max_length=200)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.VI)
    source = models.CharField(max_length=12, choices=SearchSource.choices, default=SearchSource.HELP_CENTER)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [models.Index(fields=["query_key", "created_at"], name="knowledge_gap_key"),
                   models.Index(fields=["created_at"], name="knowledge_gap_created")]
        constraints = [models.CheckConstraint(condition=~Q(query_key=""), name="knowledge_gap_key_not_empty")]

    def __str__(self) -> str:
        return self.query


class StepOutcome(models.TextChoices):
    QUESTION = "question", _("A question: its answers lead on")
    TRY_FIX = "try_fix", _("A fix to try: ask whether it worked")
    REPAIR = "repair", _("Needs a technician: offer to book a repair")
    CONTACT = "contact", _("Talk to us: show how to reach support")


class TroubleshootingStep(models.Model):
    """One step of a troubleshooting article's tree; `answer` is the parent's answer that leads here."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="steps")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    answer = models.CharField(_("answer that leads here"), max_length=120, blank=True)
    text = models.CharField(_("question or what to do"), max_length=1000)
    outcome = models.CharField(_("kind of step"), max_length=10, choices=StepOutcome.choices,
                               default=StepOutcome.QUESTION)
    position = models.PositiveSmallIntegerField(default=0)
    # How readers answered "did this fix it?" at this step (counts only: nothing about who answered).
    fixed_count = models.PositiveIntegerField(default=0)
    not_fixed_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article"], condition=Q(parent__isnull=True), name="knowledge_step_one_root"
            ),
        ]
        indexes = [models.Index(fields=["article", "parent", "position"], name="knowledge_step_tree")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_end(self) -> bool:
        return self.outcome != StepOutcome.QUESTION
