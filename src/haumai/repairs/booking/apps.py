"""Start-up wiring of the booking side (called from RepairsConfig.ready): scheduler sources, send-time links."""

from __future__ import annotations


def ready() -> None:
    """Register the due-row sources: appointment reminders, no-shows, maintenance reminders."""
    from haumai.core import scheduler
    from haumai.repairs.booking import links, maintenance, selectors, services

    scheduler.register(
        scheduler.DueSource(
            name="repairs.appointment_reminders", pending=selectors.pending_reminders,
            handle=services.send_reminders, due_field="remind_at",
        )
    )  # fmt: skip
    scheduler.register(
        scheduler.DueSource(name="repairs.no_shows", pending=selectors.pending_no_shows, handle=services.mark_no_shows)
    )
    scheduler.register(
        scheduler.DueSource(
            name="repairs.maintenance_due", pending=selectors.pending_maintenance, handle=maintenance.emit_due
        )
    )
    maintenance.subscribe_handlers()
    links.register()
