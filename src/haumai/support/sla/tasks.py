"""Background work of SLA (django-tasks; the worker runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def recalculate_open_tickets_task(calendar_id: int | None = None, policy_id: int | None = None,
                                  reason: str = "") -> int:
    """Recompute the stored clocks of the open tickets a calendar or policy change touches."""
    from haumai.support.sla import services

    return services.recalculate_open_tickets(calendar_id=calendar_id, policy_id=policy_id, reason=reason)
