"""Reads for the privacy app: who a person is (every identifier), requests, due rows."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from haumai.core import clock
from haumai.core.errors import NotFound
from haumai.customers.models import Customer, IdentityKind
from haumai.events.models import Event
from haumai.events.selectors import event_list
from haumai.privacy.models import OPEN_STATUSES, DataRequest, RetentionSchedule
from haumai.privacy.registry import Person


def person_for(customer: Customer) -> Person:
    """The customer with every phone, e-mail, name and channel id Haumai holds for them."""
    phones = {customer.phone} if customer.phone else set()
    emails = {customer.email.lower()} if customer.email else set()
    names = {customer.full_name} if customer.full_name else set()
    others = {customer.external_id} if customer.external_id else set()
    for identity in customer.identities.all():
        if identity.kind == IdentityKind.PHONE:
            phones.add(identity.value)
        elif identity.kind == IdentityKind.EMAIL:
            emails.add(identity.value.lower())
        else:
            others.add(identity.value)
    for address in customer.addresses.all():
        if address.phone:
            phones.add(address.phone)
        if address.recipient_name:
            names.add(address.recipient_name)
    return Person(
        customer=customer,
        phones=frozenset(phones),
        emails=frozenset(emails),
        names=frozenset(names),
        other_identifiers=frozenset(others),
    )


def request_list(
    *, status: str = "", kind: str = "", open_only: bool = False, overdue: bool = False, customer_code: str = ""
) -> QuerySet[DataRequest]:
    """Requests, the most urgent first when open (or overdue), else newest first."""
    requests = DataRequest.objects.select_related("customer", "owner")
    if status:
        requests = requests.filter(status=status)
    if kind:
        requests = requests.filter(kind=kind)
    if customer_code:
        requests = requests.filter(customer__code=customer_code.strip().upper())
    if overdue:
        return requests.filter(status__in=OPEN_STATUSES, due_at__lt=clock.now()).order_by("due_at", "id")
    if open_only:
        return requests.filter(status__in=OPEN_STATUSES).order_by("due_at", "id")
    return requests.order_by("-received_at", "-id")


def request_by_code(code: str) -> DataRequest:
    """One request by its code, or NotFound."""
    try:
        return DataRequest.objects.select_related("customer", "owner", "verified_by").get(code=code.strip().upper())
    except DataRequest.DoesNotExist as exc:
        raise NotFound(f"Data request {code} not found") from exc


def requests_for_customer(customer: Any, *, limit: int = 20) -> list[DataRequest]:
    """The customer's latest requests."""
    return list(DataRequest.objects.filter(customer=customer).order_by("-received_at", "-id")[:limit])


def open_request_count() -> int:
    """How many requests wait for staff (capped, for a badge)."""
    return DataRequest.objects.filter(status__in=OPEN_STATUSES).order_by()[:100].count()


def pending_retention() -> QuerySet[RetentionSchedule]:
    """The retention schedule rows (the tick picks those whose next_run_at has passed)."""
    return RetentionSchedule.objects.filter(next_run_at__isnull=False)


def request_trail(request: DataRequest) -> QuerySet[Event]:
    """The request's audit trail (its events), oldest first."""
    return event_list(subject_type="privacy.datarequest", subject_id=str(request.pk)).order_by("occurred_at", "id")


def overdue_count() -> int:
    """Open requests past their deadline (capped, for a badge)."""
    return DataRequest.objects.filter(status__in=OPEN_STATUSES, due_at__lt=clock.now()).order_by()[:100].count()


def processors() -> list[Any]:
    """Active staff who may process requests (owner choices), by user name."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    wanted = Q(groups__permissions__codename="process_datarequest") | Q(
        user_permissions__codename="process_datarequest"
    )
    users = get_user_model().objects.filter(is_active=True).filter(wanted | Q(is_superuser=True))
    return list(users.distinct().order_by("username")[:200])
