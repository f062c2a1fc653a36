"""Repairs: service centres (this module's shared root), repair orders, appointments and visits.

Each concern keeps its models in its own module; this package re-exports them for Django."""

from haumai.repairs.models.booking import (
    Appointment,
    AppointmentSlot,
    AppointmentStatus,
    BookingOrigin,
    ClosedDay,
    MaintenancePlan,
    MaintenanceRecord,
    MaintenanceSchedule,
    OnSiteVisit,
    OpeningHours,
    TechnicianLock,
    VisitOutcome,
    VisitStatus,
)
from haumai.repairs.models.centers import ServiceCenter, ServiceCenterKind
from haumai.repairs.models.orders import (
    OPEN_STATUSES,
    PAUSABLE_STATUSES,
    LineKind,
    LoanDevice,
    PartUsage,
    QuoteLine,
    RepairOrder,
    RepairOrigin,
    RepairOutcome,
    RepairPhoto,
    RepairStateChange,
    RepairStatus,
)

__all__ = [
    "OPEN_STATUSES",
    "PAUSABLE_STATUSES",
    "Appointment",
    "AppointmentSlot",
    "AppointmentStatus",
    "BookingOrigin",
    "ClosedDay",
    "LineKind",
    "LoanDevice",
    "MaintenancePlan",
    "MaintenanceRecord",
    "MaintenanceSchedule",
    "OnSiteVisit",
    "OpeningHours",
    "PartUsage",
    "QuoteLine",
    "RepairOrder",
    "RepairOrigin",
    "RepairOutcome",
    "RepairPhoto",
    "RepairStateChange",
    "RepairStatus",
    "ServiceCenter",
    "ServiceCenterKind",
    "TechnicianLock",
    "VisitOutcome",
    "VisitStatus",
]
