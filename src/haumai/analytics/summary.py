"""The weekly KPI e-mail to managers: last week's figures (Monday-Sunday, local days) from the daily rollups.

The scheduler source `analytics.weekly_summary` (row `RollupSchedule` key "weekly_summary") is due every Monday
at 07:00 Asia/Ho_Chi_Minh. It queues one e-mail per active staff member who may view the dashboard
(`analytics.view_dashboard` through a role or directly), has an e-mail address and did not opt out
(`SummaryOptOut`; the toggle is on the dashboard), through messaging's e-mail channel (`queue_direct_message`;
the worker sends it, retries and records failures). The idempotency key is per week and person, so a second
run of the same week (two workers, a retry) queues nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from haumai.analytics import kpis
from haumai.analytics.days import local_day, start_of
from haumai.analytics.models import RollupSchedule, SummaryOptOut
from haumai.core import clock

SCHEDULE_KEY = "weekly_summary"
SEND_LOCAL_HOUR = 7
HEADLINE = (
    "csat", "nps", "frt", "next_response", "resolution", "fcr", "sla", "backlog", "return_rate", "cycle_time",
    "tied_up", "repair_turnaround", "claim_rate", "pickup_on_time", "delivered_on_time", "lost_rate",
)  # fmt: skip


def last_week(today: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week before the one `today` is in."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)


def next_run(after: dt.datetime) -> dt.datetime:
    """The next Monday 07:00 in Vietnam after a moment."""
    day = local_day(after)
    monday = day - dt.timedelta(days=day.weekday())
    candidate = start_of(monday) + dt.timedelta(hours=SEND_LOCAL_HOUR)
    if candidate <= after:
        candidate += dt.timedelta(days=7)
    return candidate


def recipients() -> QuerySet[Any]:
    """Active staff allowed to see the dashboard, with an e-mail address, who did not opt out."""
    users = get_user_model().objects
    perm = {"codename": "view_dashboard", "content_type__app_label": "analytics"}
    allowed = Q(**{f"groups__permissions__{k}": v for k, v in perm.items()}) | Q(
        **{f"user_permissions__{k}": v for k, v in perm.items()}
    )
    opted_out = SummaryOptOut.objects.values("user_id")
    return (
        users.filter(allowed, is_active=True).exclude(email="").exclude(pk__in=opted_out).distinct().order_by("pk")
    )


def body(first: dt.date, last: dt.date, link: str) -> tuple[str, str]:
    """Subject and plain-text body of the week's summary (two queries on the rollups)."""
    values = {kpi.key: (kpi, value) for kpi, value in kpis.evaluate(first, last)}
    period = f"{first:%d/%m/%Y} - {last:%d/%m/%Y}"
    lines = [_("KPI summary for %(period)s") % {"period": period}, ""]
    for key in HEADLINE:
        kpi, value = values[key]
        lines.append(f"- {kpi.label}: {value.display} ({value.parts})")
    lines += [
        "",
        _("Formulas, drill-downs and exports: %(link)s") % {"link": link},
        _("To stop this e-mail, use “Stop the weekly e-mail” on the dashboard."),
    ]
    return _("Haumai weekly KPIs %(period)s") % {"period": period}, "\n".join(lines)


def send_week(first: dt.date, last: dt.date) -> int:
    """Queue the summary of [first, last] for every recipient; returns how many e-mails were queued or kept."""
    from haumai.messaging import conf as messaging_conf
    from haumai.messaging import services as messaging

    link = f"{messaging_conf.public_base_url()}/console/analytics/?since={first}&until={last}"
    people = list(recipients())
    with translation.override("vi"):
        subject, text = body(first, last, link)
    for person in people:
        messaging.queue_direct_message(
            customer=None, channel="email", destination=person.email, subject=subject, body_text=text,
            idempotency_key=f"analytics.weekly:{first.isoformat()}:{person.pk}", source="analytics.weekly_summary",
        )  # fmt: skip
    return len(people)


def ensure_schedule() -> None:
    """Create the weekly row (first run: the next Monday 07:00) if it is missing."""
    RollupSchedule.objects.get_or_create(key=SCHEDULE_KEY, defaults={"due_at": next_run(clock.now())})


def pending() -> Any:
    """Scheduler source: the weekly row when due."""
    return RollupSchedule.objects.filter(key=SCHEDULE_KEY, due_at__isnull=False)


def handle_due(rows: Sequence[RollupSchedule]) -> None:
    """Send last week's summary, then schedule the next Monday."""
    now = clock.now()
    first, last = last_week(local_day(now))
    with transaction.atomic():
        send_week(first, last)
        for row in rows:
            row.last_run_at = now
            row.due_at = next_run(now)
            row.save(update_fields=["last_run_at", "due_at"])


def set_opt_out(*, user: Any, opted_out: bool) -> bool:
    """Stop (or resume) the weekly e-mail for one staff member; returns whether they are now opted out."""
    if opted_out:
        SummaryOptOut.objects.get_or_create(user=user, defaults={"opted_out_at": clock.now()})
    else:
        SummaryOptOut.objects.filter(user=user).delete()
    return opted_out


def is_opted_out(user: Any) -> bool:
    """Whether the user stopped the weekly e-mail."""
    return SummaryOptOut.objects.filter(user=user).exists()
