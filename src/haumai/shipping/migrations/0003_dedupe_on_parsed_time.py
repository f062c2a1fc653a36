"""Rewrite stored webhook dedupe keys from the carrier's raw time text to the parsed moment in UTC.

The keys end with the time now spelt one way (`moment_key`), so a replay whose time is written otherwise
(`.000Z` dropped, local time instead of an offset) is recognised. Stored keys get the same ending, from the
event's own `occurred_at`, so replays of reports received before this change are still recognised. A key
that would collide with another (the duplicates this change prevents) is left as it was.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import migrations

# Fields before the time in each carrier's key, e.g. ghn:{order}:{type}:{status}:{time}.
FIELDS_BEFORE_TIME = {"ghn": 4, "ghtk": 3, "viettel_post": 3, "jt": 3, "ninjavan": 3}
KEY_LENGTH = 200


def moment_key(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def rewritten(key: str, occurred_at: dt.datetime) -> str | None:
    """The key with its time normalised, or None when the key has no time part (Ninja Van event ids)."""
    count = FIELDS_BEFORE_TIME.get(key.split(":", 1)[0])
    if count is None or len(key) >= KEY_LENGTH:  # another source, or truncated: leave it
        return None
    parts = key.split(":", count)
    if len(parts) <= count:
        return None
    new = (":".join(parts[:count]) + ":" + moment_key(occurred_at))[:KEY_LENGTH]
    return new if new != key else None


def forwards(apps: Any, schema_editor: Any) -> None:
    TrackingEvent = apps.get_model("shipping", "TrackingEvent")
    taken = set(TrackingEvent.objects.values_list("dedupe_key", flat=True))
    changed = []
    for event in TrackingEvent.objects.filter(source="webhook").only("pk", "dedupe_key", "occurred_at").iterator():
        new = rewritten(event.dedupe_key, event.occurred_at)
        if new is None or new in taken:
            continue
        taken.discard(event.dedupe_key)
        taken.add(new)
        event.dedupe_key = new
        changed.append(event)
        if len(changed) >= 1000:
            TrackingEvent.objects.bulk_update(changed, ["dedupe_key"])
            changed = []
    if changed:
        TrackingEvent.objects.bulk_update(changed, ["dedupe_key"])


class Migration(migrations.Migration):
    dependencies = [("shipping", "0002_seed_carriers")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
