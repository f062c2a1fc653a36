"""Data-subject requests: receive, verify, assign, extend, process (export, consent withdrawal,
deletion by anonymization), complete or reject. Every step records an event (the audit trail)."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from haumai.core import clock
from haumai.core.codes import next_code
from haumai.core.errors import Conflict, FieldError, Forbidden, ValidationFailed
from haumai.customers import services as customer_services
from haumai.customers.models import Customer
from haumai.events.services import record_event
from haumai.privacy import conf, exports, restrictions
from haumai.privacy.models import (
    OPEN_STATUSES,
    DataRequest,
    ProcessingRestriction,
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


def _audit(request: DataRequest, actor: Any, *, system: bool = False, **extra: Any) -> dict[str, Any]:
    """The fields of one step's event (the request's audit trail). Callers write
    `record_event(name="privacy....", **_audit(...))` with a literal name, which the timeline test reads."""
    # Codes and kinds only: the audit trail must not become a copy of the data it protects.
    authenticated = getattr(actor, "is_authenticated", False)
    return {
        "customer": request.customer,
        "subject": request,
        "actor": actor if authenticated else None,
        "actor_label": "" if authenticated else ("system" if system else "customer"),
        "payload": {"code": request.code, "kind": request.kind, "status": request.status, **extra},
    }


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
    verify_later: bool = False,
) -> DataRequest:
    """Record a request. From the portal the one-time-code login is the verification; from the console
    staff say how they checked the person's identity, or (`verify_later`) record it unverified and verify
    before processing. One open request per kind and customer."""
    errors = []
    if kind not in RequestKind.values:
        errors.append(FieldError("kind", _("Unknown request type.")))
    if origin not in RequestOrigin.values:
        errors.append(FieldError("origin", _("Unknown origin.")))
    if len(details) > 2000:
        errors.append(FieldError("details", _("At most 2000 characters.")))
    if kind in DETAILS_REQUIRED and not details.strip():
        errors.append(FieldError("details", str(DETAILS_REQUIRED[kind])))
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), errors)
    verified = True
    if origin == RequestOrigin.CONSOLE:
        _require(actor, "privacy.add_datarequest")
        if verify_later and not verification_method:
            verified = False
        else:
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
            status=RequestStatus.VERIFIED if verified else RequestStatus.RECEIVED,
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
            verified_by=staff if verified else None,
            verified_at=now if verified else None,
        )
        record_event(name="privacy.request_received", **_audit(request, actor, origin=origin))
        if verified:
            record_event(name="privacy.request_verified", **_audit(request, actor, method=request.verification_method))
    return request


DETAILS_REQUIRED: dict[str, Any] = {
    RequestKind.CORRECTION: _lazy("Say what should be corrected."),
    RequestKind.RESTRICTION: _lazy("Say which processing should be restricted."),
    RequestKind.OBJECTION: _lazy("Say which processing the person objects to."),
}


def _lock(request: DataRequest, *, verified: bool = False) -> DataRequest:
    locked = DataRequest.objects.select_for_update().select_related("customer").get(pk=request.pk)
    if not locked.is_open:
        raise Conflict(_("This request is already closed."), code="request_closed")
    if verified and locked.status == RequestStatus.RECEIVED:
        raise Conflict(_("Verify the person's identity first."), code="not_verified")
    return locked


def verify_request(*, actor: Any, request: DataRequest, method: str, note: str) -> DataRequest:
    """Record how staff checked the identity of the person behind a request taken unverified."""
    _require(actor, PERMISSION_PROCESS)
    _check_verification(method, note)
    with transaction.atomic():
        locked = _lock(request)
        if locked.status != RequestStatus.RECEIVED:
            raise Conflict(_("The identity is already verified."), code="already_verified")
        locked.status = RequestStatus.VERIFIED
        locked.verification_method = method
        locked.verification_note = note.strip()[:300]
        locked.verified_by = actor
        locked.verified_at = clock.now()
        locked.save(update_fields=["status", "verification_method", "verification_note", "verified_by", "verified_at"])
        record_event(name="privacy.request_verified", **_audit(locked, actor, method=method))
    return locked


def assign_request(*, actor: Any, request: DataRequest, owner: Any) -> DataRequest:
    """Make a staff member (who may process requests) responsible for the request."""
    _require(actor, PERMISSION_PROCESS)
    if owner is not None and not (owner.is_active and owner.has_perm(PERMISSION_PROCESS)):
        raise ValidationFailed(
            _("Some fields are invalid"), [FieldError("owner", _("Choose someone who may process requests."))]
        )
    with transaction.atomic():
        locked = _lock(request)
        locked.owner = owner
        locked.save(update_fields=["owner"])
        record_event(
            name="privacy.request_assigned",
            **_audit(locked, actor, owner=owner.get_username() if owner else ""),
        )
    return locked


def start_processing(*, actor: Any, request: DataRequest) -> DataRequest:
    """Mark a verified request as being worked on (correction, restriction, objection by hand)."""
    _require(actor, PERMISSION_PROCESS)
    with transaction.atomic():
        locked = _lock(request, verified=True)
        if locked.status == RequestStatus.PROCESSING:
            return locked
        locked.status = RequestStatus.PROCESSING
        if locked.owner_id is None:
            locked.owner = actor
        locked.save(update_fields=["status", "owner"])
        record_event(name="privacy.request_processing", **_audit(locked, actor))
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
        record_event(name="privacy.request_extended", **_audit(locked, actor, due_at=locked.due_at.isoformat()))
    return locked


def reject_request(*, actor: Any, request: DataRequest, reason: str) -> DataRequest:
    """Refuse the request, with the reason given to the person."""
    _require(actor, PERMISSION_PROCESS)
    if not reason.strip():
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("reason", _("Give the reason."))])
    with transaction.atomic():
        locked = _lock(request)
        locked.status = RequestStatus.REJECTED
        locked.result_note = reason.strip()[:2000]
        locked.completed_at = clock.now()
        locked.save(update_fields=["status", "result_note", "completed_at"])
        record_event(name="privacy.request_rejected", **_audit(locked, actor))
    return locked


def complete_request(
    *, actor: Any, request: DataRequest, note: str, stop_marketing: bool = False,
    restrict_purposes: Sequence[str] = (),
) -> DataRequest:  # fmt: skip
    """Close a request that staff carried out by hand (correction, restriction, objection). For a
    restriction or an objection, `stop_marketing` also withdraws every marketing consent; a restriction
    is completed by switching processing off for `restrict_purposes` (privacy.restrictions)."""
    _require(actor, PERMISSION_PROCESS)
    if request.kind in (RequestKind.EXPORT, RequestKind.DELETION, RequestKind.WITHDRAW_CONSENT):
        raise Conflict(_("This request is completed by processing it."), code="process_instead")
    if not note.strip():
        raise ValidationFailed(_("Some fields are invalid"), [FieldError("note", _("Say what was done."))])
    if request.kind == RequestKind.RESTRICTION and not restrict_purposes:
        raise ValidationFailed(
            _("Some fields are invalid"), [FieldError("purposes", _("Choose what processing to stop."))]
        )
    if restrict_purposes and request.kind != RequestKind.RESTRICTION:
        raise ValidationFailed(
            _("Some fields are invalid"),
            [FieldError("purposes", _("Only a restriction request restricts processing."))],
        )
    if stop_marketing and request.kind == RequestKind.CORRECTION:
        raise ValidationFailed(
            _("Some fields are invalid"),
            [FieldError("stop_marketing", _("Only a restriction or an objection stops marketing."))],
        )
    with transaction.atomic():
        _lock(request, verified=True)
        withdrawn = 0
        if stop_marketing:
            changes = customer_services.withdraw_consents(
                actor=actor, customer=request.customer, purposes=["marketing"], source=f"privacy_{request.kind}"
            )
            withdrawn = len(changes)
        extra: dict[str, Any] = {"withdrawn": withdrawn}
        if restrict_purposes:
            restriction = restrictions.restrict_processing(
                actor=actor, customer=request.customer, purposes=restrict_purposes,
                evidence=(request.details or note).strip()[:300] or note.strip()[:300], request=request,
            )  # fmt: skip
            extra["restricted"] = restriction.purposes
        return _complete(request, actor, note.strip()[:2000], **extra)


def restrict_from_portal(*, request: DataRequest, purposes: Sequence[str], words: str = "") -> DataRequest:
    """The signed-in person restricts processing themselves: carried out at once, the request completed."""
    if request.kind != RequestKind.RESTRICTION:
        raise Conflict(_("This is not a restriction request."), code="wrong_kind")
    with transaction.atomic():
        locked = _lock(request, verified=True)
        restriction = restrictions.restrict_processing(
            actor=None, customer=locked.customer, purposes=purposes, by_customer=True, request=locked,
            evidence=(words.strip() or _("Asked in the portal after signing in"))[:300],
        )  # fmt: skip
        return _complete(
            locked, None, _("Processing restricted as the person asked in the portal."), system=True,
            restricted=restriction.purposes,
        )  # fmt: skip


def _complete(request: DataRequest, actor: Any, note: str, *, system: bool = False, **extra: Any) -> DataRequest:
    with transaction.atomic():
        locked = _lock(request, verified=True)
        locked.status = RequestStatus.COMPLETED
        locked.result_note = note
        locked.completed_at = clock.now()
        locked.save(update_fields=["status", "result_note", "completed_at"])
        record_event(name="privacy.request_completed", **_audit(locked, actor, system=system, **extra))
    return locked


def withdraw_consent(*, actor: Any, request: DataRequest) -> DataRequest:
    """Withdraw every consent the person gave (through the customers app), then close the request."""
    if request.kind != RequestKind.WITHDRAW_CONSENT:
        raise Conflict(_("This is not a consent withdrawal."), code="wrong_kind")
    if actor is not None:
        _require(actor, PERMISSION_PROCESS)
    with transaction.atomic():
        _lock(request, verified=True)
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
        locked = _lock(request, verified=True)
        if locked.status != RequestStatus.PROCESSING:
            locked.status = RequestStatus.PROCESSING
            locked.save(update_fields=["status"])
            record_event(name="privacy.export_queued", **_audit(locked, actor))
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
        locked = DataRequest.objects.select_for_update().select_related("customer").get(pk=request_id)
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
        record_event(
            name="privacy.export_built",
            **_audit(locked, None, system=True, bytes=locked.export_bytes, sha256=locked.export_sha256, tables=counts),
        )
        record_event(name="privacy.request_completed", **_audit(locked, None, system=True))
    return locked


def record_download(*, request: DataRequest, actor: Any, reason: str = "") -> None:
    """Audit one download of an export (by the customer, or by staff on their behalf): an event on the
    customer's timeline and, for staff, an access-log entry."""
    from haumai.privacy import audit

    with transaction.atomic():
        record_event(name="privacy.export_downloaded", **_audit(request, actor, sha256=request.export_sha256))
        audit.record_access(
            actor=actor,
            action=audit.AccessAction.EXPORT_DOWNLOAD,
            customer=request.customer,
            target=request.code,
            reason=reason,
            detail={"bytes": request.export_bytes or 0},
        )


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
        locked = _lock(request, verified=True)
        customer = Customer.objects.select_for_update().get(pk=locked.customer_id)
        person = person_for(customer)
        for source in sources():
            if source.anonymize is not None:
                for table, count in source.anonymize(person, actor).items():
                    counts[table] = counts.get(table, 0) + count
        # The privacy app's own copy: what the person wrote in their requests.
        DataRequest.objects.filter(customer=customer).update(details="", verification_note="")
        ProcessingRestriction.objects.filter(customer=customer).update(evidence="", lift_reason="")
        locked.refresh_from_db()
        record_event(name="privacy.customer_anonymized", **_audit(locked, actor, removed=counts))
    _complete(locked, actor, _("Personal data anonymized; orders, refunds and returns kept for accounting."))
    return counts
