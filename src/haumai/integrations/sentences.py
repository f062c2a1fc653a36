"""Timeline sentences of data imports (import.*)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from haumai.core.registry import TimelineEntry, register_sentence
from haumai.events.sentences import said, value


def import_completed(event: Any) -> TimelineEntry:
    params = {
        "file": value(event, "file") or "—",
        "imported": value(event, "imported") or "0",
        "rows": value(event, "rows") or "0",
    }
    invalid = value(event, "invalid")
    text = _("Import of %(file)s finished: %(imported)s of %(rows)s rows imported") % params
    if invalid and invalid != "0":
        text += " · " + _("%(invalid)s rows invalid") % {"invalid": invalid}
    return said(text, icon="file-down", tone="warning" if invalid and invalid != "0" else "success")


register_sentence("import.completed", import_completed)
