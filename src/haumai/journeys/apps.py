from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "haumai.journeys"
    label = "journeys"

    def ready(self) -> None:
        from haumai.core import scheduler
        from haumai.events.services import subscribe
        from haumai.journeys import engine, enrollment, selectors

        subscribe("*", enrollment.on_event)
        scheduler.register(
            scheduler.DueSource(
                name="journeys.enrollment",
                pending=selectors.pending_enrollments,
                handle=enrollment.enroll_due_journeys,
                due_field="next_enrollment_at",
            )
        )
        scheduler.register(
            scheduler.DueSource(name="journeys.runs", pending=selectors.pending_runs, handle=engine.advance_runs)
        )
