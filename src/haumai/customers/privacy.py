"""Personal data held by customers: the profile, identities, addresses and consent (haumai.privacy)."""

from __future__ import annotations

from typing import Any

from haumai.customers import services
from haumai.customers.models import Address, Consent, Identity
from haumai.privacy.registry import ExportPart, Person, PersonalDataSource, PersonalModel, register, rows

CUSTOMER_FIELDS = (
    "code",
    "full_name",
    "phone",
    "email",
    "birth_date",
    "gender",
    "preferred_language",
    "preferred_channel",
    "external_id",
    "created_at",
    "updated_at",
)


def export(person: Person) -> ExportPart:
    """The profile, identities, addresses and consent flags."""
    customer = person.customer
    profile = {name: getattr(customer, name) for name in CUSTOMER_FIELDS}
    return ExportPart(
        tables={
            "customers.customer": [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in profile.items()}],
            "customers.identity": rows(
                Identity.objects.filter(customer=customer).order_by("id"),
                ("kind", "value", "verified_at", "created_at"),
            ),
            "customers.address": rows(
                Address.objects.filter(customer=customer).order_by("id"),
                ("label", "recipient_name", "phone", "street", "ward__name", "province__name", "is_default"),
            ),
            "customers.consent": rows(
                Consent.objects.filter(customer=customer).order_by("id"),
                (
                    "purpose",
                    "channel",
                    "granted",
                    "source",
                    "recorded_at",
                    "text_version",
                    "evidence_channel",
                    "evidence_ip",
                    "evidence_agent",
                ),
            ),
        }
    )


def anonymize(person: Person, actor: Any) -> dict[str, int]:
    """Anonymize the profile (kept for the orders), remove identities, addresses and consents."""
    return services.anonymize_customer(actor=actor, customer=person.customer)


register(
    PersonalDataSource(
        app="customers",
        models=(
            PersonalModel(
                "customers.Customer",
                ("full_name", "search_key", "phone", "email", "birth_date", "gender", "external_id"),
                legal_hold="orders, refunds and returns point at it; it stays with the name replaced",
                handling="exported; anonymized (name replaced, phone/e-mail/birth date/search key cleared)",
            ),
            PersonalModel("customers.Identity", ("value",), handling="exported; deleted"),
            PersonalModel(
                "customers.Address", ("label", "recipient_name", "phone", "street"), handling="exported; deleted"
            ),
            PersonalModel(
                "customers.Consent", ("source", "evidence_ip", "evidence_agent"), handling="exported; deleted"
            ),
        ),
        not_personal={
            # Official province and ward names and their folded search keys (public reference data).
            "customers.Province": ("name", "search_key"),
            "customers.Ward": ("name", "search_key"),
            # The wording shown to everyone, not about anyone.
            "customers.ConsentText": ("body",),
        },
        export=export,
        anonymize=anonymize,
        order=900,  # last: the other apps still find the person's phone and e-mail while they run
    )
)
