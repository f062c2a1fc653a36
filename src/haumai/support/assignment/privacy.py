"""Assignment rules hold no personal data: channel codes and tag keys an agent or a team handles."""

from __future__ import annotations

from haumai.privacy.registry import PersonalDataSource, register

register(
    PersonalDataSource(
        app="support_assignment",
        not_personal={
            # Lists of channel codes ("zalo", "email") and folded ticket tag keys ("bao hanh"): work settings.
            "support.AssignmentRule": ("channels",),
            "support.AgentSkill": ("channels", "tag_keys"),
        },
    )
)
