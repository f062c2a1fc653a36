"""SLA holds no personal data: calendars and policies are the retailer's settings."""

from __future__ import annotations

from haumai.privacy.registry import PersonalDataSource, register

register(
    PersonalDataSource(
        app="support_sla",
        not_personal={
            # The name of a team calendar ("Giờ hành chính") and of a policy ("Khách VIP"), not of a person.
            "support.BusinessCalendar": ("name",),
            "support.SlaPolicy": ("name",),
        },
    )
)
