"""The retention job: once a day, every registered rule removes what is older than its setting allows,
and one event records the counts per type (`privacy.retention_applied`)."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Sequence

from django.db import transaction

from haumai.core import clock
from haumai.events.services import record_event
from haumai.privacy import conf, exports
from haumai.privacy.models import RetentionSchedule
from haumai.privacy.registry import RetentionRule, retention_rules

logger = logging.getLogger(__name__)
LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
RUN_AT_HOUR = 3  # 03:00 in Vietnam, when nobody works


def rule_days(rule: RetentionRule) -> int:
    """The rule's setting, or its default; 0 switches it off."""
    return conf.int_setting(rule.setting, rule.default_days)


def next_run_after(moment: dt.datetime) -> dt.datetime:
    """The next 03:00 Vietnam time after `moment`."""
    local = moment.astimezone(LOCAL)
    target = local.replace(hour=RUN_AT_HOUR, minute=0, second=0, microsecond=0)
    if target <= local:
        target += dt.timedelta(days=1)
    return target.astimezone(dt.UTC)


def apply_retention() -> dict[str, int]:
    """Run every rule once (each in its own transaction) and record what went; return counts per type."""
    now = clock.now()
    counts: dict[str, int] = {}
    for rule in retention_rules():
        days = rule_days(rule)
        if days <= 0:
            continue
        with transaction.atomic():
            counts[rule.key] = rule.purge(now - dt.timedelta(days=days))
    with transaction.atomic():
        counts["privacy.exports"] = exports.remove_expired_exports()
    removed = {key: value for key, value in counts.items() if value}
    with transaction.atomic():
        record_event(
            name="privacy.retention_applied",
            actor_label="system",
            payload={"removed": removed, "rules": sorted(counts)},
        )
    logger.info("retention: removed %s", removed or "nothing")
    return counts


def run_scheduled(schedules: Sequence[RetentionSchedule]) -> None:
    """Scheduler handler: move the claimed schedule to tomorrow, then apply the rules.

    The row is moved first, in the tick's transaction, so a crash mid-way does not make every
    worker retry at once; the next day's run catches up with whatever was left (purges are batched).
    """
    now = clock.now()
    for schedule in schedules:
        schedule.next_run_at = next_run_after(now)
        schedule.last_run_at = now
        schedule.save(update_fields=["next_run_at", "last_run_at"])
    transaction.on_commit(_apply_and_store)


def _apply_and_store() -> None:
    counts = apply_retention()
    RetentionSchedule.objects.filter(key="daily").update(last_counts=counts)
