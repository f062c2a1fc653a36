"""Portal pages for the customer's own personal data ("Dữ liệu cá nhân của tôi"): ask for a copy
(export ZIP), ask for deletion, withdraw consent, download a ready export. The one-time-code login is
the identity check; every page shows only the logged-in customer's requests."""

from __future__ import annotations

import os

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haumai.core import clock
from haumai.core.errors import DomainError
from haumai.customers import consents
from haumai.customers import services as customer_services
from haumai.customers.models import ConsentChannel, Customer
from haumai.customers.services import ConsentInput
from haumai.portal.forms import client_ip
from haumai.portal.views import _page, portal_login_required
from haumai.privacy import exports, restrictions, selectors, services
from haumai.privacy.models import RequestKind, RequestOrigin, RequestStatus, RestrictionPurpose

NOTICES = {
    "export": gettext_lazy("We are preparing your data. The download link appears here when it is ready."),
    "deletion": gettext_lazy("We received your deletion request and will confirm it before the deadline shown."),
    "consent": gettext_lazy("Your consent has been withdrawn. We will not send you marketing messages."),
    "agreed": gettext_lazy("Thank you. We recorded your consent with the wording you read."),
    "restricted": gettext_lazy("Done. We stopped processing your data for what you chose."),
}
CONSENT_CHANNELS = ("zalo", "sms", "email")
ERRORS = {
    "open": gettext_lazy("A request of this type is already open."),
    "consent": gettext_lazy("Tick at least one channel. If the wording changed meanwhile, read it again."),
    "restrict": gettext_lazy("Tick what we should stop, and say what you ask in your own words."),
}


def _downloadable(request_row: object) -> bool:
    row = request_row
    return bool(
        getattr(row, "kind", "") == RequestKind.EXPORT
        and getattr(row, "status", "") == RequestStatus.COMPLETED
        and getattr(row, "export_file", "")
        and getattr(row, "export_expires_at", None)
        and row.export_expires_at > clock.now()  # type: ignore[attr-defined]
    )


@never_cache
@require_GET
@portal_login_required
def my_data(request: HttpRequest, customer: Customer) -> HttpResponse:
    """What we hold and what the customer asked for, with the deadlines."""
    rows = selectors.requests_for_customer(customer)
    items = [{"request": row, "download": exports.download_token(row) if _downloadable(row) else ""} for row in rows]
    context = {
        "portal_customer": customer,
        "requests": items,
        "consents": _consent_rows(customer),
        "marketing_text": consents.current_texts(get_language() or "vi").get("marketing"),
        "consent_channels": [(c, ConsentChannel(c).label) for c in CONSENT_CHANNELS],
        "notice": NOTICES.get(request.GET.get("done", ""), ""),
        "error": ERRORS.get(request.GET.get("error", ""), ""),
        "restriction": restrictions.current_restriction(customer),
        "restriction_purposes": RestrictionPurpose.choices,
    }
    return _page(request, "portal/privacy/my_data.html", context)


def _consent_rows(customer: Customer) -> list[dict[str, object]]:
    floors = consents.reconsent_floors()
    return [
        {
            "consent": row,
            "counts": consents.counts(row, floors),
            "outdated": row.granted and not consents.counts(row, floors),
        }
        for row in customer.consents.order_by("purpose", "channel")
    ]


@require_POST
@portal_login_required
def grant_marketing(request: HttpRequest, customer: Customer) -> HttpResponse:
    """Agree to marketing on the ticked channels with the wording shown (its version, the address and the
    browser are the evidence)."""
    text = consents.current_texts(get_language() or "vi").get("marketing")
    version = request.POST.get("version", "")
    channels = [c for c in request.POST.getlist("channel") if c in CONSENT_CHANNELS]
    if text is None or version != str(text.version) or not channels:
        return _back(error="consent")
    agent = request.META.get("HTTP_USER_AGENT", "")[:200]
    customer_services.update_customer(
        actor=None,
        customer=customer,
        consents=[
            ConsentInput(
                purpose="marketing", channel=channel, granted=True, source="portal", text_version=text.version,
                evidence_channel="portal", ip_address=client_ip(request), agent=agent,
            )
            for channel in channels
        ],
    )  # fmt: skip
    return _back(done="agreed")


def _back(done: str = "", error: str = "") -> HttpResponseRedirect:
    query = f"?done={done}" if done else f"?error={error}" if error else ""
    return HttpResponseRedirect(reverse("portal:privacy") + query)


@require_POST
@portal_login_required
def request_export(request: HttpRequest, customer: Customer) -> HttpResponse:
    """Ask for a copy of everything; the worker builds it."""
    try:
        data_request = services.create_request(
            actor=None, customer=customer, kind=RequestKind.EXPORT, origin=RequestOrigin.PORTAL
        )
    except DomainError:
        return _back(error="open")
    services.start_export(actor=None, request=data_request)
    return _back(done="export")


@require_http_methods(["GET", "POST"])
@portal_login_required
def request_deletion(request: HttpRequest, customer: Customer) -> HttpResponse:
    """Ask for deletion, after reading what it means (orders stay for accounting, anonymized)."""
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = _("Tick the box to confirm that you understand what deletion means.")
        else:
            try:
                services.create_request(
                    actor=None,
                    customer=customer,
                    kind=RequestKind.DELETION,
                    origin=RequestOrigin.PORTAL,
                    details=request.POST.get("details", "")[:2000],
                )
            except DomainError:
                return _back(error="open")
            return _back(done="deletion")
    return _page(
        request,
        "portal/privacy/deletion.html",
        {"portal_customer": customer, "error": error},
        status=400 if error else 200,
    )


@require_POST
@portal_login_required
def withdraw_consent(request: HttpRequest, customer: Customer) -> HttpResponse:
    """Withdraw every consent at once (carried out immediately)."""
    try:
        data_request = services.create_request(
            actor=None, customer=customer, kind=RequestKind.WITHDRAW_CONSENT, origin=RequestOrigin.PORTAL
        )
    except DomainError:
        return _back(error="open")
    services.withdraw_consent(actor=None, request=data_request)
    return _back(done="consent")


@require_POST
@portal_login_required
def restrict_processing(request: HttpRequest, customer: Customer) -> HttpResponse:
    """Restrict processing for the purposes ticked (carried out at once: the person is signed in)."""
    purposes = [p[:20] for p in request.POST.getlist("purposes")[:4]]
    words = request.POST.get("details", "")[:300]
    if not purposes or not words.strip() or any(p not in RestrictionPurpose.values for p in purposes):
        return _back(error="restrict")
    try:
        data_request = services.create_request(
            actor=None, customer=customer, kind=RequestKind.RESTRICTION, origin=RequestOrigin.PORTAL, details=words
        )
    except DomainError:
        return _back(error="open")
    services.restrict_from_portal(request=data_request, purposes=purposes, words=words)
    return _back(done="restricted")


@never_cache
@require_GET
@portal_login_required
def download_export(request: HttpRequest, customer: Customer, token: str) -> HttpResponse:
    """Serve a ready export to its own customer through a signed, expiring link; audited."""
    checked = exports.check_download_token(token)
    if checked is None:
        raise Http404(_("This link has expired. Ask for a new copy of your data."))
    request_id, file_name = checked
    data_request = next((r for r in selectors.requests_for_customer(customer, limit=100) if r.pk == request_id), None)
    if data_request is None or data_request.export_file != file_name or not _downloadable(data_request):
        raise Http404(_("This link has expired. Ask for a new copy of your data."))
    path = exports.file_path(file_name)
    if not os.path.exists(path):
        raise Http404(_("This link has expired. Ask for a new copy of your data."))
    services.record_download(request=data_request, actor=None)
    # FileResponse streams; the portal decorator types views as returning HttpResponse.
    return FileResponse(  # type: ignore[return-value]
        open(path, "rb"),
        as_attachment=True,
        filename=f"haumai-{data_request.code}.zip",
        content_type="application/zip",
    )
