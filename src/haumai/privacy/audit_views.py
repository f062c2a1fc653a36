"""Console pages of the access log: review (filters, paginated), export as CSV (itself recorded), and
the optional reason a staff member gives for having opened a record."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from haumai.core import clock
from haumai.core.errors import DomainError
from haumai.core.paging import page_number, page_of
from haumai.privacy import audit
from haumai.privacy.models import AccessAction

PAGE_SIZE = 50


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw.strip()[:10]) if raw.strip() else None
    except ValueError:
        return None


@login_required
@permission_required(audit.PERMISSION_REVIEW, raise_exception=True)
@require_GET
def access_log(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Who looked at or exported personal data, newest first; `?format=csv` downloads the filtered log."""
    action = request.GET.get("action", "")
    action = action if action in AccessAction.values else ""
    filters = {
        "actor_name": request.GET.get("actor", "").strip()[:150],
        "action": action,
        "customer_code": request.GET.get("customer", "").strip()[:20],
        "since": _date(request.GET.get("since", "")),
        "until": _date(request.GET.get("until", "")),
    }
    rows = audit.log_list(**filters)  # type: ignore[arg-type]
    if request.GET.get("format") == "csv":
        if not request.user.has_perm(audit.PERMISSION_EXPORT):
            raise PermissionDenied
        shown = {key: str(value) for key, value in filters.items() if value}
        audit.record_access(
            actor=request.user, action=AccessAction.CSV_EXPORT, target="access-log", detail={"filters": shown},
            reason=request.GET.get("reason", "")[:300], http=request,
        )  # fmt: skip
        response = StreamingHttpResponse(audit.csv_rows(rows), content_type="text/csv; charset=utf-8")
        stamp = clock.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="access-log-{stamp}.csv"'
        return response
    page = page_number(request)
    found, has_next = page_of(rows, page, PAGE_SIZE)
    query = urlencode(
        {key: request.GET.get(key, "")[:150] for key in ("actor", "action", "customer", "since", "until")}
    )
    context = {
        "rows": found,
        "has_next": has_next,
        "page": page,
        "filters": {key: request.GET.get(key, "")[:150] for key in ("actor", "customer", "since", "until")},
        "action": action,
        "actions": AccessAction.choices,
        "query": query,
    }
    return render(request, "privacy/access_log.html", context)


@login_required
@require_POST
def give_reason(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Attach the (optional) reason to the viewer's own access record, then go back."""
    try:
        audit.add_reason(actor=request.user, entry_id=entry_id, reason=request.POST.get("reason", "")[:300])
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Reason recorded."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
        back = "/console/"
    return HttpResponseRedirect(back)
