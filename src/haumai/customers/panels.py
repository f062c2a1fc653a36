"""The customer 360's own panels (profile and identities, consent, addresses) and helpers for every panel.

Apps add their sections in their own `panels.py` with `core.registry.register_panel`; the 360 view
renders each panel the user may see, in `order`, in its column. A panel loads a capped page of rows
(one query per kind of row, no N+1) and links to the full list, or pages itself with `?<key>_page=`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haumai.accounts.selectors import can_see_pii, shown_email, shown_phone
from haumai.core.paging import MAX_PAGE
from haumai.core.registry import CustomerPanel, register_panel
from haumai.customers.models import ConsentChannel, Customer, Gender, IdentityKind

PANEL_ROWS = 5  # rows a panel shows before "more"


def panel_page(request: HttpRequest, key: str) -> int:
    """The page number a panel was asked for (`?<key>_page=`), 1 when missing or not a number."""
    text = request.GET.get(f"{key}_page", "1").strip()
    return max(1, min(int(text), MAX_PAGE)) if text.isdigit() and len(text) < 7 else 1


def page_of(rows: Any, page: int, size: int = PANEL_ROWS) -> tuple[list[Any], bool]:
    """One page of a queryset without counting it: (rows, whether there are more)."""
    found = list(rows[(page - 1) * size : page * size + 1])
    return found[:size], len(found) > size


def language_label(code: str) -> str:
    """'vi' -> 'Tiếng Việt' (the language's name in the current language)."""
    names = dict(settings.LANGUAGES)
    return str(names.get(code, code or "—"))


def channel_label(code: str) -> str:
    """A customer's preferred channel as a label ('zalo' -> 'Zalo'), '—' when none."""
    if not code:
        return "—"
    try:
        return str(ConsentChannel(code).label)
    except ValueError:
        return code


def profile(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    pii = can_see_pii(request.user)

    def shown(kind: str, value: str) -> str:
        if pii or kind not in (IdentityKind.PHONE, IdentityKind.EMAIL):
            return value
        return shown_phone(request.user, value) if kind == IdentityKind.PHONE else shown_email(request.user, value)

    return {
        "pii": pii,
        "phone": shown_phone(request.user, customer.phone),
        "email": shown_email(request.user, customer.email),
        "gender": Gender(customer.gender).label if customer.gender in Gender.values else "—",
        "language": language_label(customer.preferred_language),
        "preferred_channel": channel_label(customer.preferred_channel),
        "identities": [(identity, shown(identity.kind, identity.value)) for identity in customer.identities.all()],
        "journeys_url": reverse("journeys:customer_runs", args=[customer.code])
        if request.user.has_perm("journeys.view_journeyrun")
        else "",
    }


def consent(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    """Each consent with whether it still counts (a newer wording may require consent again) and its evidence."""
    from haumai.customers.consents import counts, reconsent_floors

    floors = reconsent_floors()
    rows = sorted(customer.consents.all(), key=lambda c: (c.purpose, c.channel))
    return {"consents": [(row, counts(row, floors)) for row in rows], "pii": can_see_pii(request.user)}


def addresses(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    return {"pii": can_see_pii(request.user), "addresses": list(customer.addresses.all())}


register_panel(
    CustomerPanel(
        key="profile", title=_("Profile"), template="customers/panels/profile.html", context=profile,
        permission="customers.view_customer", column="side", order=10,
    ),
    CustomerPanel(
        key="consent", title=_("Consent"), template="customers/panels/consent.html", context=consent,
        permission="customers.view_consent", column="side", order=20,
    ),
    CustomerPanel(
        key="addresses", title=_("Addresses"), template="customers/panels/addresses.html", context=addresses,
        permission="customers.view_address", column="side", order=30,
    ),
)  # fmt: skip
