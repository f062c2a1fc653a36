"""The signed link that opens an invitation's form: the only credential a customer needs."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from haumai.core import clock
from haumai.core.errors import DomainError
from haumai.surveys.models import Invitation

SALT = "haumai.surveys.invitation"


class InvalidLink(DomainError):
    """The link was altered, or names no invitation."""

    def __init__(self) -> None:
        super().__init__(
            message=_("This survey link is not valid. Please use the link from your message."),
            code="invalid_link",
            status=400,
        )


class ExpiredLink(DomainError):
    """The invitation's time to answer is over."""

    def __init__(self) -> None:
        super().__init__(
            message=_("This survey link has expired. Thank you for your time."), code="expired_link", status=410
        )


def token_for(invitation: Invitation) -> str:
    """The signed token of an invitation (its code, signed; the expiry is the invitation's own)."""
    return signing.dumps({"i": invitation.code}, salt=SALT, compress=True)


def path_for(invitation: Invitation) -> str:
    """The form's path for an invitation."""
    return reverse("surveys_public:form", args=[token_for(invitation)])


def url_for(invitation: Invitation) -> str:
    """The absolute link put into the message."""
    from haumai.messaging.context import absolute

    return absolute(path_for(invitation))


def read(token: str) -> Invitation:
    """The invitation a token names; InvalidLink when forged, ExpiredLink when past its expiry."""
    try:
        data = signing.loads(token[:400], salt=SALT)
    except signing.BadSignature as exc:
        raise InvalidLink() from exc
    code = data.get("i") if isinstance(data, dict) else None
    if not isinstance(code, str):
        raise InvalidLink()
    invitation = Invitation.objects.select_related("survey", "customer").filter(code=code).first()
    if invitation is None:
        raise InvalidLink()
    if invitation.expires_at <= clock.now():
        raise ExpiredLink()
    return invitation
