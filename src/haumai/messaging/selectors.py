"""Reads of messaging: where a customer can be reached, templates and deliveries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from haumai.core.paging import capped_count
from haumai.messaging.models import Delivery, DeliveryAttempt, Template, TemplateVersion

CUSTOMER_CHANNELS = ("email", "zalo", "zns", "sms")


def _identity(customer: Any, kind: str) -> str | None:
    cache = getattr(customer, "_prefetched_objects_cache", {}).get("identities")
    if cache is not None:
        values = [i.value for i in cache if i.kind == kind]
        return values[0] if values else None
    return customer.identities.filter(kind=kind).order_by("-verified_at", "pk").values_list("value", flat=True).first()


def destination_for(customer: Any, channel: str) -> str | None:
    """The address of this customer on a channel (e-mail, Zalo user id, E.164 phone) or None."""
    if customer is None:
        return None
    if channel == "email":
        return customer.email or _identity(customer, "email")
    if channel == "sms":
        return customer.phone or None
    if channel == "zns":
        # ZNS only reaches Vietnamese numbers registered with Zalo.
        return customer.phone if customer.phone and customer.phone.startswith("+84") else None
    if channel == "zalo":
        return _identity(customer, "zalo")
    return None


def reachable_channels(customer: Any) -> list[str]:
    """Customer channels with a destination, in the order email, zalo, zns, sms."""
    return [channel for channel in CUSTOMER_CHANNELS if destination_for(customer, channel)]


def template_list(*, channel: str = "", language: str = "", q: str = "", name: str = "") -> QuerySet[Template]:
    """Templates with their current version; `q` matches the key, `name` the key or the name."""
    templates = Template.objects.select_related("current_version").order_by("key", "channel", "language")
    if channel:
        templates = templates.filter(channel=channel)
    if language:
        templates = templates.filter(language=language)
    if q:
        templates = templates.filter(key__icontains=q)
    if name:
        templates = templates.filter(Q(key__icontains=name) | Q(name__icontains=name))
    return templates


def template_detail(pk: int) -> Template | None:
    """A template with its versions (newest first)."""
    return (
        Template.objects.select_related("current_version")
        .prefetch_related(
            Prefetch("versions", queryset=TemplateVersion.objects.select_related("created_by").order_by("-number"))
        )
        .filter(pk=pk)
        .first()
    )


def delivery_list(
    *, status: str = "", channel: str = "", customer_code: str = "", template_key: str = ""
) -> QuerySet[Delivery]:
    """Deliveries newest first, filtered."""
    deliveries = Delivery.objects.select_related("customer", "template_version").order_by("-created_at", "-id")
    if status:
        deliveries = deliveries.filter(status=status)
    if channel:
        deliveries = deliveries.filter(channel=channel)
    if customer_code:
        deliveries = deliveries.filter(customer__code=customer_code)
    if template_key:
        deliveries = deliveries.filter(template_key=template_key)
    return deliveries


def delivery_detail(pk: int) -> Delivery | None:
    """One delivery with its attempts."""
    return (
        Delivery.objects.select_related("customer", "template_version__template", "subscription")
        .prefetch_related(Prefetch("attempts", queryset=DeliveryAttempt.objects.order_by("number")))
        .filter(pk=pk)
        .first()
    )


def delivery_count(status: str, *, cap: int) -> int:
    """How many deliveries are in a status, counting at most cap + 1 (indexed by status)."""
    return capped_count(Delivery.objects.filter(status=status), cap)


def template_names(*, language: str) -> dict[str, str]:
    """Template key -> its name, in `language` when a template of that language exists, else Vietnamese."""
    names: dict[str, str] = {}
    rows = Template.objects.filter(language__in=[language, "vi"]).order_by("key", "channel")
    for key, lang, name in rows.values_list("key", "language", "name"):
        if name and (lang == language or key not in names):
            names[key] = name
    return names


def delivery_states(ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    """(status, last error code, last error message) per Delivery id, in one query (journeys show them)."""
    wanted = {int(i) for i in ids if i}
    if not wanted:
        return {}
    rows = Delivery.objects.filter(pk__in=wanted).values_list("pk", "status", "last_error_code", "last_error_message")
    return {pk: (status, code, message) for pk, status, code, message in rows}
