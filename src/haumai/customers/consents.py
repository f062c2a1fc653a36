"""Consent: versioned wording per purpose (vi/en), consent flags with their evidence, and which grants
still count (a wording version that requires re-consent voids grants of older versions for its purpose)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_ipv46_address
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import FieldError, ValidationFailed
from haumai.customers.models import Consent, ConsentChannel, ConsentPurpose, ConsentText, Customer, EvidenceChannel
from haumai.events.services import record_event

LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class ConsentInput:
    """One consent flag: purpose (service/marketing) on one channel."""

    purpose: str
    channel: str
    granted: bool
    source: str = ""
    # Evidence (Decree 356: consent must be provable): the wording version shown (default: the current
    # one of the purpose), how it was given, from which address, with which browser or by which staff member.
    text_version: int | None = None
    evidence_channel: str = ""
    ip_address: str | None = None
    agent: str = ""


def clean_consents(consents: Sequence[ConsentInput], prefix: str, errors: list[FieldError]) -> None:
    """Field errors of consent inputs (purpose, channel, evidence), appended to `errors`."""
    for index, consent in enumerate(consents):
        if consent.purpose not in ConsentPurpose.values:
            errors.append(
                FieldError(
                    f"{prefix}.{index}.purpose",
                    _("Unknown consent purpose '%(value)s' (one of: %(allowed)s)")
                    % {"value": consent.purpose, "allowed": ", ".join(ConsentPurpose.values)},
                    "invalid_choice",
                )
            )
        if consent.channel not in ConsentChannel.values:
            errors.append(
                FieldError(
                    f"{prefix}.{index}.channel",
                    _("Unknown consent channel '%(value)s' (one of: %(allowed)s)")
                    % {"value": consent.channel, "allowed": ", ".join(ConsentChannel.values)},
                    "invalid_choice",
                )
            )
        if consent.evidence_channel and consent.evidence_channel not in EvidenceChannel.values:
            errors.append(
                FieldError(f"{prefix}.{index}.evidence_channel", _("Unknown evidence channel."), "invalid_choice")
            )
        if (
            consent.text_version is not None
            and not ConsentText.objects.filter(purpose=consent.purpose, version=consent.text_version).exists()
        ):
            errors.append(
                FieldError(
                    f"{prefix}.{index}.text_version", _("No consent wording with this version."), "unknown_text_version"
                )
            )
        if consent.ip_address:
            try:
                validate_ipv46_address(consent.ip_address)
            except DjangoValidationError:
                errors.append(FieldError(f"{prefix}.{index}.ip_address", _("Not an IP address."), "invalid"))


def write_consents(customer: Customer, consents: Sequence[ConsentInput], actor: Any) -> list[dict[str, Any]]:
    """Upsert consent flags with their evidence; return the ones that changed (for the event payload).
    A grant of a newer wording version than the stored one counts as a change (a re-consent)."""
    moment = clock.now()
    changed = []
    existing = {(c.purpose, c.channel): c for c in Consent.objects.filter(customer=customer)}
    versions = current_versions()
    for consent in consents:
        current = existing.get((consent.purpose, consent.channel))
        version = (consent.text_version or versions.get(consent.purpose)) if consent.granted else None
        unchanged = current is not None and current.granted == consent.granted
        if unchanged and (not consent.granted or (version or 0) <= (current.text_version or 0)):  # type: ignore[union-attr]
            continue
        Consent.objects.update_or_create(
            customer=customer,
            purpose=consent.purpose,
            channel=consent.channel,
            defaults={
                "granted": consent.granted,
                "source": consent.source or "api",
                "recorded_at": moment,
                "text_version": version,
                "evidence_channel": consent.evidence_channel,
                "evidence_ip": consent.ip_address or None,
                "evidence_agent": (consent.agent or (actor.get_username() if getattr(actor, "pk", None) else ""))[:200],
            },
        )
        change: dict[str, Any] = {"purpose": consent.purpose, "channel": consent.channel, "granted": consent.granted}
        if version:
            change["version"] = version
        if consent.evidence_channel:
            change["evidence"] = consent.evidence_channel
        changed.append(change)
    if changed:
        record_event(
            name="customer.consent_changed",
            customer=customer,
            subject=customer,
            actor=actor,
            payload={"code": customer.code, "changes": changed},
        )
    return changed


def current_versions() -> dict[str, int]:
    """The newest wording version of each purpose that has one."""
    rows = ConsentText.objects.values("purpose").annotate(newest=Max("version")).order_by()
    return {row["purpose"]: row["newest"] for row in rows}


def reconsent_floors() -> dict[str, int]:
    """Per purpose, the oldest version a grant may be of and still count (the newest re-consent version)."""
    rows = ConsentText.objects.filter(requires_reconsent=True).values("purpose").annotate(floor=Max("version"))
    return {row["purpose"]: row["floor"] for row in rows.order_by()}


def counts(consent: Consent, floors: dict[str, int]) -> bool:
    """Whether a stored grant still counts (granted, and of a wording version not superseded by a re-consent)."""
    return consent.granted and (consent.text_version or 0) >= floors.get(consent.purpose, 0)


def effective_consents(customer_ids: Iterable[int]) -> dict[int, dict[tuple[str, str], bool]]:
    """{customer id: {(purpose, channel): granted}} where a grant of an outdated wording is False (one query)."""
    floor = (
        ConsentText.objects.filter(purpose=OuterRef("purpose"), requires_reconsent=True)
        .order_by("-version")
        .values("version")[:1]
    )
    rows = (
        Consent.objects.filter(customer_id__in=list(customer_ids))
        .annotate(floor=Coalesce(Subquery(floor), Value(0)))
        .values_list("customer_id", "purpose", "channel", "granted", "text_version", "floor")
    )
    result: dict[int, dict[tuple[str, str], bool]] = {}
    for customer_id, purpose, channel, granted, version, minimum in rows:
        result.setdefault(customer_id, {})[(purpose, channel)] = bool(granted and (version or 0) >= minimum)
    return result


def texts_for(purpose: str, version: int | None) -> dict[str, str]:
    """{language: wording} of one version of a purpose (empty when there is none)."""
    if version is None:
        return {}
    return dict(ConsentText.objects.filter(purpose=purpose, version=version).values_list("language", "body"))


def current_texts(language: str) -> dict[str, ConsentText]:
    """The newest wording of each purpose in one language (falls back to Vietnamese)."""
    found: dict[str, ConsentText] = {}
    versions = current_versions()
    wanted = [language, "vi"] if language != "vi" else ["vi"]
    texts = ConsentText.objects.filter(language__in=wanted).order_by("purpose", "-version")
    for text in texts:
        if versions.get(text.purpose) != text.version:
            continue
        if text.purpose not in found or text.language == language:
            found[text.purpose] = text
    return found


def publish_consent_text(
    *, actor: Any, purpose: str, bodies: dict[str, str], requires_reconsent: bool = True
) -> list[ConsentText]:
    """Publish the next wording version of a purpose (Vietnamese required, English optional). With
    `requires_reconsent`, grants of older versions stop counting until the person agrees again."""
    errors = []
    if purpose not in ConsentPurpose.values:
        errors.append(FieldError("purpose", _("Unknown consent purpose.")))
    if not bodies.get("vi", "").strip():
        errors.append(FieldError("bodies.vi", _("The Vietnamese wording is required.")))
    for language in bodies:
        if language not in LANGUAGES:
            errors.append(FieldError(f"bodies.{language}", _("Unknown language.")))
    if errors:
        raise ValidationFailed(_("Some fields are invalid"), errors)
    for attempt in range(3):
        try:
            with transaction.atomic():
                created = _insert_version(actor, purpose, bodies, requires_reconsent)
                record_event(
                    name="customer.consent_text_published",
                    actor=actor if getattr(actor, "pk", None) else None,
                    actor_label="" if getattr(actor, "pk", None) else "system",
                    payload={
                        "purpose": purpose,
                        "version": created[0].version,
                        "requires_reconsent": requires_reconsent,
                    },
                )
            return created
        except IntegrityError:
            # Two first publications of a purpose raced (no row to lock yet): the loser takes the next number.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _insert_version(actor: Any, purpose: str, bodies: dict[str, str], requires_reconsent: bool) -> list[ConsentText]:
    # Lock the purpose's rows, then read the newest number again: a publisher that waited sees the one
    # committed before it (READ COMMITTED), so two publishers never take the same number.
    list(ConsentText.objects.select_for_update().filter(purpose=purpose).values_list("pk", flat=True))
    newest = ConsentText.objects.filter(purpose=purpose).aggregate(newest=Max("version"))["newest"] or 0
    now = clock.now()
    return [
        ConsentText.objects.create(
            purpose=purpose,
            version=newest + 1,
            language=language,
            body=body.strip(),
            requires_reconsent=requires_reconsent,
            published_at=now,
            published_by=actor if getattr(actor, "pk", None) else None,
        )
        for language, body in bodies.items()
        if body.strip()
    ]
