"""Writes of the knowledge base: articles and their workflow (articles.py), feedback and gaps (feedback.py)."""

from haumai.knowledge.services.articles import (
    ArticleInput,
    archive,
    create_article,
    publish,
    return_to_draft,
    submit_for_review,
    update_article,
    upload_image,
)
from haumai.knowledge.services.feedback import RateLimited, record_feedback, record_unanswered_search
from haumai.knowledge.services.troubleshooting import record_fix_answer

__all__ = [
    "ArticleInput",
    "RateLimited",
    "archive",
    "create_article",
    "publish",
    "record_feedback",
    "record_fix_answer",
    "record_unanswered_search",
    "return_to_draft",
    "submit_for_review",
    "update_article",
    "upload_image",
]
