"""Portal forms: login by phone/e-mail, the one-time code, and the public lookup."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from haumai.core import network
from haumai.core.phone import InvalidPhone, normalize_phone
from haumai.portal.services import LoginDestination

_CODE = re.compile(r"^\d{6}$")
_ORDER_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,23}$")
_SERIAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/:#+-]{0,63}$")


def client_ip(request: Any) -> str | None:
    """The client's address (behind the trusted proxies, see haumai.core.network)."""
    return network.client_ip(request)


def _phone(raw: str) -> str:
    try:
        return normalize_phone(raw)
    except InvalidPhone:
        raise forms.ValidationError(_("Enter a valid phone number, e.g. 0912 345 678."), code="invalid_phone") from None


class LoginForm(forms.Form):
    """Phone (any Vietnamese format) or e-mail; cleaned to a LoginDestination."""

    identifier = forms.CharField(label=_("Phone number or e-mail"), max_length=254, strip=True)

    def clean_identifier(self) -> LoginDestination:
        raw: str = self.cleaned_data["identifier"]
        if "@" in raw:
            email = raw.lower()
            try:
                validate_email(email)
            except DjangoValidationError:
                raise forms.ValidationError(
                    _("Enter a valid phone number or e-mail address."), code="invalid"
                ) from None
            return LoginDestination(kind="email", value=email)
        try:
            return LoginDestination(kind="phone", value=normalize_phone(raw))
        except InvalidPhone:
            raise forms.ValidationError(_("Enter a valid phone number or e-mail address."), code="invalid") from None


class CodeForm(forms.Form):
    """The 6-digit one-time code (spaces are ignored)."""

    code = forms.CharField(label=_("Verification code (OTP)"), max_length=12, strip=True)

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not _CODE.match(code):
            raise forms.ValidationError(_("The code has 6 digits."), code="invalid_code")
        return code


class LookupForm(forms.Form):
    """Either phone + order code, or a serial/IMEI."""

    phone = forms.CharField(label=_("Phone number"), max_length=32, required=False, strip=True)
    order_code = forms.CharField(label=_("Order code"), max_length=24, required=False, strip=True)
    serial = forms.CharField(label=_("Serial number or IMEI"), max_length=64, required=False, strip=True)

    def clean_phone(self) -> str:
        raw: str = self.cleaned_data["phone"]
        return _phone(raw) if raw else ""

    def clean_order_code(self) -> str:
        raw: str = self.cleaned_data["order_code"]
        if raw and not _ORDER_CODE.match(raw):
            raise forms.ValidationError(_("Enter the order code as printed, e.g. ORD-2026-000123."), code="invalid")
        return raw.upper()

    def clean_serial(self) -> str:
        raw: str = self.cleaned_data["serial"]
        if raw and not _SERIAL.match(raw):
            raise forms.ValidationError(
                _("A serial number or IMEI has only letters, digits and - . / characters."), code="invalid"
            )
        return raw

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        phone, code, serial = data.get("phone"), data.get("order_code"), data.get("serial")
        if serial and (phone or code):
            raise forms.ValidationError(
                _("Search either by phone and order code, or by serial/IMEI, not both."), code="both"
            )
        if not serial and not (phone and code):
            raise forms.ValidationError(
                _("Enter your phone number and order code, or a serial number/IMEI."), code="incomplete"
            )
        return data
