"""Console: restrict processing of a customer's data, or lift the restriction, from the customer 360."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haumai.core.errors import DomainError, NotFound
from haumai.customers.selectors import customer_by_code
from haumai.privacy import restrictions
from haumai.privacy.views import _refused


@login_required
@permission_required(restrictions.PERMISSION, raise_exception=True)
@require_POST
def restriction_action(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """set (purposes + evidence) / lift (reason); refusals come back as a message on the 360."""
    try:
        customer = customer_by_code(code[:24])
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    post = request.POST
    try:
        if name == "set":
            restrictions.restrict_processing(
                actor=request.user, customer=customer, purposes=[p[:20] for p in post.getlist("purposes")[:4]],
                evidence=post.get("evidence", "")[:300],
            )  # fmt: skip
            messages.success(request, _("Processing restricted."))
        elif name == "lift":
            restrictions.lift_restriction(actor=request.user, customer=customer, reason=post.get("reason", "")[:300])
            messages.success(request, _("Restriction lifted."))
        else:
            raise Http404("Unknown action")
    except DomainError as exc:
        _refused(request, exc)
    return redirect("customers:detail", code=customer.code)
