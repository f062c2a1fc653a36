"""Personal data held by booking (haumai.privacy): what customers wrote as the reason of an appointment
or visit, technicians' notes from the customer's home, and maintenance notes. Appointments and visits
stay after a deletion (they are the service history and the centres' statistics) with the texts cleared;
the visit's address is the customers app's Address (declared and anonymized there)."""

from __future__ import annotations

from typing import Any

from haumai.privacy.registry import ExportPart, Person, PersonalDataSource, PersonalModel, register, rows
from haumai.privacy.scrub import REDACTED
from haumai.repairs.models import Appointment, MaintenanceRecord, MaintenanceSchedule, OnSiteVisit


def export(person: Person) -> ExportPart:
    """The person's appointments, visits and maintenance schedules with their records."""
    customer = person.customer
    return ExportPart(
        tables={
            "repairs.appointment": rows(
                Appointment.objects.filter(customer=customer).order_by("id"),
                ("code", "center__name", "starts_at", "ends_at", "status", "origin", "reason", "cancel_reason",
                 "unit__serial"),
            ),
            "repairs.onsitevisit": rows(
                OnSiteVisit.objects.filter(customer=customer).order_by("id"),
                ("code", "window_start", "window_end", "address__street", "status", "outcome", "reason",
                 "outcome_notes", "unit__serial"),
            ),
            "repairs.maintenanceschedule": rows(
                MaintenanceSchedule.objects.filter(customer=customer).order_by("id"),
                ("plan__name", "unit__serial", "next_due_on", "last_done_at"),
            ),
            "repairs.maintenancerecord": rows(
                MaintenanceRecord.objects.filter(schedule__customer=customer).order_by("id"),
                ("schedule__plan__name", "done_at", "note"),
            ),
        }
    )  # fmt: skip


def anonymize(person: Person, actor: Any) -> dict[str, int]:
    """Clear the reasons and notes; the appointments, visits and schedules stay (service history)."""
    customer = person.customer
    appointments = Appointment.objects.filter(customer=customer).update(reason=REDACTED, cancel_reason="")
    visits = OnSiteVisit.objects.filter(customer=customer).update(reason=REDACTED, outcome_notes=REDACTED)
    records = MaintenanceRecord.objects.filter(schedule__customer=customer).update(note=REDACTED)
    stopped = MaintenanceSchedule.objects.filter(customer=customer).update(is_active=False, due_at=None)
    return {"repairs.appointment": appointments, "repairs.onsitevisit": visits, "repairs.maintenancerecord": records,
            "repairs.maintenanceschedule": stopped}  # fmt: skip


register(
    PersonalDataSource(
        app="repairs.booking",
        models=(
            PersonalModel(
                "repairs.Appointment", ("reason", "cancel_reason"),
                legal_hold="the service history of a unit and a centre's statistics: kept with the texts cleared",
                handling="exported; reason and cancellation reason cleared",
            ),
            PersonalModel(
                "repairs.OnSiteVisit", ("reason", "outcome_notes"),
                legal_hold="the service history of a unit: kept with the texts cleared",
                handling="exported; reason and technician's notes cleared (the address is the customer's Address)",
            ),
            PersonalModel("repairs.MaintenanceRecord", ("note",), handling="exported; note cleared"),
            PersonalModel(
                "repairs.MaintenanceSchedule", (),
                handling="exported; stopped on deletion (no more reminders)",
            ),
        ),
        not_personal={
            # A service centre is a business: its address, phone and e-mail are public contact details.
            "repairs.ServiceCenter": ("name", "address", "phone", "email"),
            "repairs.MaintenancePlan": ("name",),
        },
        export=export,
        anonymize=anonymize,
    )
)  # fmt: skip
