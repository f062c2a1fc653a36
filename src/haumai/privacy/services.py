"""Data-subject requests: receive, verify, assign, extend, process (export, consent withdrawal,
deletion by anonymization), complete or reject. Every step records an event (the audit trail)."""

from __future__ import annotations

import datetime as dt
import logging
import os
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.codes import next_code
from haumai.core.errors import Conflict, FieldError, Forbidden, ValidationFailed
from haumai.customers import services as customer_services
from haumai.customers.models import Customer
from haumai.events.services import record_event
from haumai.privacy import conf, exports
from haumai.privacy.models import (
    OPEN_STATUSES,
    DataRequest,
    RequestKind,
    RequestOrigin,
    RequestStatus,
    VerificationMethod,
)
from haumai.privacy.registry import sources
from haumai.privacy.selectors import person_for

logger = logging.getLogger(__name__)
CODE_PREFIX = "DSR"
PERMISSION_PROCESS = "privacy.process_datarequest"
PERMISSION_ERASE = "privacy.erase_customer"


def add_working_days(moment: dt.datetime, days: int) -> dt.datetime:
    """`days` working days (Monday to Friday) after `moment`; public holidays are not counted out."""
    result = moment
    added = 0
    while added < days:
        result += dt.timedelta(days=1)
        if result.weekday() < 5:
            added += 1
    return result


def _event(name: str, request: DataRequest, actor: Any, **extra: Any) -> None:
    # Codes and kinds only: the audit trail must not become a copy of the data it protects.
    record_event(
        name=name,
        customer=request.customer,
        subject=request,
        actor=actor,
        actor_label="" if getattr(actor, "is_authenticated", False) else "customer",
        payload={"code": request.code, "kind": request.kind, "status": request.status, **extra},
    )


def _require(actor: Any, permission: str) -> None:
    if not (actor is not None and getattr(actor, "is_authenticated", False) and actor.has_perm(permission)):
        raise Forbidden()


def _check_verification(method: str, note: str) -> None:
    errors = []
    if method not in VerificationMethod.values or method == VerificationMethod.PORTAL_LOGIN:
        errors.append(FieldError("verification_method", _("Choose how the person's identity was checked.")))
    if not note.strip():
        errors.append(FieldError("verification_note", _("Say what was checked (document, call, order).")))
    if errors:
        raise ValidationFailed(_("Identity verification is required"), errors)


def create_request(
    *,
    actor: Any,
    customer: Customer,
    kind: str,
    origin: str,
    details: str = "",
    verification_method: str = "",
    verification_note: str = "",
) -> DataRequest:
    """Record a request. From the portal the one-time-code login is the verification; from the console
    staff must say how they checked the person's identity. One open request per kind and customer."""
    errors = []
    if kind not in RequestKind.values:
        errors.append(FieldError("kind", _("Unknown request type.")))
    if origin not in RequestOrigin.values:
        errors.append(FieldError("origin", _("Unknown origin.")))
    if len(details) > 2000:
        errors.append(FieldError("details", _("At most 2000 characters.")))
    if kind == RequestKind.CORRECTION and not details.strip():
        errors.append(FieldError("details", _("Say what should be corrected.")))
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), errors)
    if origin == RequestOrigin.CONSOLE:
        _require(actor, "privacy.add_datarequest")
        _check_verification(verification_method, verification_note)
    now = clock.now()
    with transaction.atomic():
        # The customer row serialises concurrent requests of one person.
        Customer.objects.select_for_update().filter(pk=customer.pk).first()
        if DataRequest.objects.filter(customer=customer, kind=kind, status__in=OPEN_STATUSES).exists():
            raise Conflict(_("A request of this type is already open."), code="request_open")
        staff = actor if getattr(actor, "is_authenticated", False) else None
        request = DataRequest.objects.create(
            code=next_code(CODE_PREFIX),
            customer=customer,
            kind=kind,
            origin=origin,
            details=details.strip(),
            status=RequestStatus.VERIFIED,
            created_by=staff,
            received_at=now,
            acknowledge_by=add_working_days(now, conf.acknowledge_working_days()),
            # The portal shows the procedure at once; a staff member tells the person on the spot.
            acknowledged_at=now,
            due_at=now + dt.timedelta(days=conf.completion_days(kind)),
            verification_method=(
                VerificationMethod.PORTAL_LOGIN if origin == RequestOrigin.PORTAL else verification_method
            ),
            verification_note=verification_note.strip()[:300],
            verified_by=staff,
            verified_at=now,
        )
        _event("privacy.request_received", request, actor, origin=origin)
        _event("privacy.request_verified", request, actor, method=request.verification_method)
    return request


def _lock(request: DataRequest) -> DataRequest:
    locked = DataRequest.objects.select_for_update().select_related("customer").get(pk=request.pk)
    if not locked.is_open:
        raise Conflict(_("This request is already closed."), code="request_closed")
    return locked


def assign_request(*, actor: Any, request: DataRequest, owner: Any) -> DataRequest:
    """Make a staff member responsible for the request."""
    _require(actor, PERMISSION_PROCESS)
    with transaction.atomic():
        locked = _lock(request)
        locked.owner = owner
        locked.save(update_fields=["owner"])
        _event("privacy.request_assigned", locked, actor, owner=owner.get_username() if owner else "")
    return locked


def extend_request(*, actor: Any, request: DataRequest, reason: str) -> DataRequest:
    """Push the deadline once by the extension period, with a reason told to the person."""
    _require(actor, PERMISSION_PROCESS)
    if not reason.strip():
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("reason", _("Give the reason."))])
    with transaction.atomic():
        locked = _lock(request)
        if locked.extended_at is not None:
            raise Conflict(_("The deadline can be extended only once."), code="already_extended")
        locked.due_at += dt.timedelta(days=conf.extension_days())
        locked.extended_at = clock.now()
        locked.extension_reason = reason.strip()[:300]
        locked.save(update_fields=["due_at", "extended_at", "extension_reason"])
        _event("privacy.request_extended", locked, actor, due_at=locked.due_at.isoformat())
    return locked


def reject_request(*, actor: Any, request: DataRequest, reason: str) -> DataRequest:
    """Refuse the request, with the reason given to the person."""
    _require(actor, PERMISSION_PROCESS)
    if not reason.strip():
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("reason", _("Give the reason."))])
    with transaction.atomic():
        locked = _lock(request)
        locked.status = RequestStatus.REJECTED
        locked.result_note = reason.strip()
        locked.completed_at = clock.now()
        locked.save(update_fields=["status", "result_note", "completed_at"])
        _event("privacy.request_rejected", locked, actor)
    return locked


def complete_request(*, actor: Any, request: DataRequest, note: str) -> DataRequest:
    """Close a request that staff carried out by hand (correction, restriction, objection)."""
    _require(actor, PERMISSION_PROCESS)
    if request.kind in (RequestKind.EXPORT, RequestKind.DELETION, RequestKind.WITHDRAW_CONSENT):
        raise Conflict(_("This request is completed by processing it."), code="process_instead")
    if not note.strip():
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("note", _("Say what was done."))])
    return _complete(request, actor, note.strip())


def _complete(request: DataRequest, actor: Any, note: str, **extra: Any) -> DataRequest:
    with transaction.atomic():
        locked = _lock(request)
        locked.status = RequestStatus.COMPLETED
        locked.result_note = note
        locked.completed_at = clock.now()
        locked.save(update_fields=["status", "result_note", "completed_at"])
        _event("privacy.request_completed", locked, actor, **extra)
    return locked


def withdraw_consent(*, actor: Any, request: DataRequest) -> DataRequest:
    """Withdraw every consent the person gave (through the customers app), then close the request."""
    if request.kind != RequestKind.WITHDRAW_CONSENT:
        raise Conflict(_("This is not a consent withdrawal."), code="wrong_kind")
    if actor is not None:
        _require(actor, PERMISSION_PROCESS)
    with transaction.atomic():
        _lock(request)
        changes = customer_services.withdraw_consents(actor=actor, customer=request.customer)
        return _complete(
            request,
            actor,
            _("Consent withdrawn on %(count)d channel(s).") % {"count": len(changes)},
            withdrawn=len(changes),
        )


def start_export(*, actor: Any, request: DataRequest) -> DataRequest:
    """Queue the export build in the worker (on commit)."""
    if request.kind != RequestKind.EXPORT:
        raise Conflict(_("This is not an export request."), code="wrong_kind")
    if actor is not None:
        _require(actor, PERMISSION_PROCESS)
    from haumai.privacy.tasks import build_export_task

    with transaction.atomic():
        locked = _lock(request)
        if locked.status != RequestStatus.PROCESSING:
            locked.status = RequestStatus.PROCESSING
            locked.save(update_fields=["status"])
            _event("privacy.export_queued", locked, actor)
        transaction.on_commit(lambda: build_export_task.enqueue(locked.pk))
    return locked


def build_export(*, request_id: int) -> DataRequest | None:
    """Worker: write the ZIP to disk, record where and its digest, complete the request (idempotent)."""
    request = DataRequest.objects.select_related("customer").filter(pk=request_id).first()
    if request is None or request.kind != RequestKind.EXPORT or request.status != RequestStatus.PROCESSING:
        return request
    person = person_for(request.customer)
    folder = conf.export_dir()
    os.makedirs(folder, mode=0o700, exist_ok=True)
    name = exports.new_file_name(request.code)
    path = exports.file_path(name)
    counts = exports.write_zip(path, person=person, request_code=request.code, parts=exports.collect(person))
    os.chmod(path, 0o600)
    now = clock.now()
    with transaction.atomic():
        locked = DataRequest.objects.select_for_update().get(pk=request_id)
        if locked.status != RequestStatus.PROCESSING:  # built concurrently: keep theirs
            os.remove(path)
            return locked
        locked.export_file = name
        locked.export_bytes = os.path.getsize(path)
        locked.export_sha256 = exports.sha256_of(path)
        locked.export_built_at = now
        locked.export_expires_at = now + dt.timedelta(days=conf.export_keep_days())
        locked.status = RequestStatus.COMPLETED
        locked.completed_at = now
        locked.result_note = _("Export ready for download.")
        locked.save()
        _event(
            "privacy.export_built",
            locked,
            None,
            bytes=locked.export_bytes,
            sha256=locked.export_sha256,
            tables=counts,
        )
        _event("privacy.request_completed", locked, None)
    return locked


def record_download(*, request: DataRequest, actor: Any) -> None:
    """Audit one download of an export (by the customer, or by staff on their behalf)."""
    with transaction.atomic():
        _event("privacy.export_downloaded", request, actor, sha256=request.export_sha256)


def erase_customer(*, actor: Any, request: DataRequest) -> dict[str, int]:
    """Deletion: every registered app anonymizes what it holds on the person, in one transaction.

    Orders, payments, refunds and returns stay (accounting) pointing at the anonymized customer;
    identities, addresses, photos and login codes go; texts and payloads naming the person are blanked.
    """
    _require(actor, PERMISSION_ERASE)
    if request.kind != RequestKind.DELETION:
        raise Conflict(_("This is not a deletion request."), code="wrong_kind")
    counts: dict[str, int] = {}
    with transaction.atomic():
        locked = _lock(request)
        customer = Customer.objects.select_for_update().get(pk=locked.customer_id)
        person = person_for(customer)
        for source in sources():
            if source.anonymize is not None:
                for table, count in source.anonymize(person, actor).items():
                    counts[table] = counts.get(table, 0) + count
        # The privacy app's own copy: what the person wrote in their requests.
        DataRequest.objects.filter(customer=customer).update(details="", verification_note="")
        locked.refresh_from_db()
        _event("privacy.customer_anonymized", locked, actor, removed=counts)
    _complete(locked, actor, _("Personal data anonymized; orders, refunds and returns kept for accounting."))
    return counts
