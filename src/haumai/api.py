"""REST API v1: one NinjaAPI with token auth, one error format, and each app's router."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from haumai.accounts.services import TokenInvalid, authenticate_token
from haumai.api_docs import OfflineSwagger
from haumai.core.errors import DomainError


class TokenAuth(HttpBearer):
    """`Authorization: Bearer hm_...`: a hashed, expiring, revocable API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            api_token = authenticate_token(token)
        except TokenInvalid as exc:
            # A request that shows a bearer token is judged by it alone: 401, never the session's CSRF check.
            request.auth_error = str(exc)  # type: ignore[attr-defined]
            raise AuthenticationError() from exc
        request.user = api_token.user
        return api_token


class SessionAuth(NinjaSessionAuth):
    """The console's session; only a logged-in session is CSRF-checked (anyone else gets 401, not 403)."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


api = NinjaAPI(
    title="Haumai API",
    version="1",
    description="After-sales service platform. Authenticate with `Authorization: Bearer <token>`.",
    urls_namespace="api-v1",
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
    docs=OfflineSwagger(),
)


def error_body(code: str, message: str, fields: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """The one error format of the API."""
    return {"error": {"code": code, "message": message, "fields": fields or []}}


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    fields = [{"field": e.field, "message": e.message, "code": e.code} for e in exc.errors]
    return api.create_response(request, error_body(exc.code, exc.message, fields), status=exc.status)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", []) if part not in ("body", "payload", "query", "path")]
        fields.append(
            {
                "field": ".".join(location),
                "message": str(error.get("msg", "invalid")),
                "code": str(error.get("type", "invalid")),
            }
        )
    return api.create_response(request, error_body("validation_failed", "Some fields are invalid", fields), status=422)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = getattr(request, "auth_error", "") or "Authentication required: send 'Authorization: Bearer <token>'"
    return api.create_response(request, error_body("unauthorized", message), status=401)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, error_body(f"http_{exc.status_code}", str(exc)), status=exc.status_code)


def _add_routers() -> None:
    from haumai.catalog.api import router as catalog_router
    from haumai.customers.api import router as customers_router
    from haumai.events.api import router as events_router
    from haumai.inventory.api import router as inventory_router
    from haumai.journeys.api import router as journeys_router
    from haumai.messaging.api import router as messaging_router
    from haumai.payments.api import router as payments_router
    from haumai.returns.api import router as returns_router
    from haumai.sales.api import router as sales_router
    from haumai.shipping.api import router as shipping_router
    from haumai.warranty.api import router as warranty_router

    api.add_router("/customers", customers_router)
    api.add_router("/", catalog_router)
    api.add_router("/orders", sales_router)
    api.add_router("/stock", inventory_router)
    api.add_router("/events", events_router)
    api.add_router("/messaging", messaging_router)
    api.add_router("/journeys", journeys_router)
    api.add_router("/shipments", shipping_router)
    api.add_router("/payments", payments_router)
    api.add_router("/returns", returns_router)
    api.add_router("/warranties", warranty_router)


_add_routers()
