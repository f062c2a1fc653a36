"""Recommendations hold no personal data: associations are counts over all customers' purchases."""

from __future__ import annotations

from haumai.privacy.registry import PersonalDataSource, register

register(
    PersonalDataSource(
        app="recommendations",
        not_personal={
            "recommendations.Association": (), "recommendations.PopularProduct": (),
            "recommendations.TrainingSchedule": (),
        },
    )
)
