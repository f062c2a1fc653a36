"""Personal data held by accounts: staff users and failed logins (haumai.privacy). These are about staff,
not customers: they are not part of a customer's export or deletion."""

from __future__ import annotations

from haumai.privacy.registry import SUBJECT_STAFF, PersonalDataSource, PersonalModel, register

register(
    PersonalDataSource(
        app="accounts",
        models=(
            PersonalModel(
                "accounts.User",
                ("username", "first_name", "last_name", "email", "phone"),
                subject=SUBJECT_STAFF,
                handling="staff accounts, managed by an administrator",
            ),
            PersonalModel(
                "accounts.LoginFailure", ("username", "ip_address"), subject=SUBJECT_STAFF, handling="lockout counter"
            ),
        ),
        not_personal={"accounts.Team": ("name",), "accounts.ApiToken": ("name",)},
    )
)
