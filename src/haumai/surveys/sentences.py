"""Timeline sentences for survey events."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from haumai.core.registry import TimelineEntry, register_sentence

KIND_LABELS = {"csat": "CSAT", "nps": "NPS", "ces": "CES", "custom": ""}


def _url(name: str, code: Any) -> str:
    try:
        return reverse(name, args=[code]) if code else ""
    except NoReverseMatch:
        return ""


def _answered(event: Any) -> TimelineEntry:
    p = event.payload or {}
    kind = str(p.get("kind", ""))
    subject = p.get("subject_code") or ""
    if kind == "custom" or p.get("score") is None:
        text = _("Answered survey %(code)s") % {"code": p.get("code", "")}
    elif subject:
        text = _("Rated %(subject)s: %(kind)s %(score)s") % {
            "subject": subject,
            "kind": KIND_LABELS.get(kind, kind),
            "score": p.get("score"),
        }
    else:
        text = _("Answered a survey: %(kind)s %(score)s") % {
            "kind": KIND_LABELS.get(kind, kind),
            "score": p.get("score"),
        }
    tone = "danger" if p.get("low") else "success"
    return TimelineEntry(
        text=text, icon="frown" if p.get("low") else "smile", tone=tone, url=_url("surveys:response", p.get("code"))
    )


def _opened(event: Any) -> TimelineEntry:
    p = event.payload or {}
    return TimelineEntry(
        text=_("Follow-up %(code)s opened for a low score") % {"code": p.get("code", "")},
        icon="phone-call",
        tone="warning",
        url=_url("surveys:follow_up", p.get("code")),
        link_text=str(p.get("code", "")),
    )


def _assigned(event: Any) -> TimelineEntry:
    p = event.payload or {}
    who = p.get("assignee") or p.get("team") or _("nobody")
    return TimelineEntry(
        text=_("Follow-up %(code)s given to %(who)s") % {"code": p.get("code", ""), "who": who},
        icon="user-check",
        url=_url("surveys:follow_up", p.get("code")),
        link_text=str(p.get("code", "")),
    )


def _closed(event: Any) -> TimelineEntry:
    p = event.payload or {}
    return TimelineEntry(
        text=_("Follow-up %(code)s closed") % {"code": p.get("code", "")},
        icon="circle-check",
        tone="success",
        url=_url("surveys:follow_up", p.get("code")),
        link_text=str(p.get("code", "")),
    )


def _changed(event: Any) -> TimelineEntry:
    p = event.payload or {}
    return TimelineEntry(text=_("Survey %(key)s edited") % {"key": p.get("key", "")}, icon="clipboard-list")


register_sentence("survey.answered", _answered)
register_sentence("survey.follow_up_opened", _opened)
register_sentence("survey.follow_up_assigned", _assigned)
register_sentence("survey.follow_up_closed", _closed)
register_sentence("survey.changed", _changed)
