"""REST API v1: one NinjaAPI with token auth, one error format, and each app's router."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
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


class FieldProblem(Schema):
    """One problem with one field: its dotted path, a readable message and a machine code."""

    field: str
    message: str
    code: str


class ErrorDetail(Schema):
    code: str
    message: str
    fields: list[FieldProblem]


class ErrorOut(Schema):
    """The one error format of the API (every 4xx answer)."""

    error: ErrorDetail


ERROR_DESCRIPTIONS = {
    400: "The request cannot be read or stored (malformed body, a NUL byte or unpaired surrogate), "
    "or a business rule refused it; nothing was changed",
    401: "No valid token: send `Authorization: Bearer <token>` (an unknown, expired or revoked token also gets 401)",
    403: "The token's user lacks the permission for this operation",
    404: "A record named in the path or the body does not exist (or is not visible to this user)",
    409: "The request conflicts with what is stored (state changed, idempotency key reused with another body, "
    "a duplicate)",
    422: "Some fields are invalid: `error.fields` lists each field with a message and a code",
    429: "Too many requests or attempts; try again later",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


class HaumaiAPI(NinjaAPI):
    """NinjaAPI whose schema documents the error answers every operation can give, in the one error format.

    Every operation may answer 400 (the edge refuses unstorable text; a business rule refuses), 401/403 when it
    needs a token, 404 and 422; writes may also answer 409. An operation declares any other error status (429)
    in its own `response={...: ErrorOut}`.
    """

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(error_schema.pop("$defs", {}))
        components["ErrorOut"] = error_schema
        reference = {"$ref": "#/components/schemas/ErrorOut"}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                statuses = {400, 404, 422}
                if operation.get("security"):
                    statuses |= {401, 403}
                if method in WRITE_METHODS:
                    statuses.add(409)
                responses = operation.setdefault("responses", {})
                present = {int(status) for status in responses}
                for status in sorted(statuses - present):
                    responses[status] = {
                        "description": ERROR_DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": reference}},
                    }
                for status, response in responses.items():
                    if int(status) >= 400 and response.get("description") in ("", "Unknown Status Code", None):
                        response["description"] = ERROR_DESCRIPTIONS.get(int(status), "Error")
        return schema


api = HaumaiAPI(
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
    from haumai.integrations.api import router as imports_router
    from haumai.inventory.api import router as inventory_router
    from haumai.journeys.api import router as journeys_router
    from haumai.loyalty.api import router as loyalty_router
    from haumai.messaging.api import router as messaging_router
    from haumai.payments.api import router as payments_router
    from haumai.recommendations.api import router as recommendations_router
    from haumai.repairs.api import router as repairs_router
    from haumai.repairs.booking.api import router as booking_router
    from haumai.returns.api import router as returns_router
    from haumai.sales.api import router as sales_router
    from haumai.shipping.api import router as shipping_router
    from haumai.support.api import router as support_router
    from haumai.warranty.api import router as warranty_router

    api.add_router("/customers", customers_router)
    api.add_router("/", catalog_router)
    api.add_router("/orders", sales_router)
    api.add_router("/stock", inventory_router)
    api.add_router("/imports", imports_router)
    api.add_router("/events", events_router)
    api.add_router("/messaging", messaging_router)
    api.add_router("/journeys", journeys_router)
    api.add_router("/shipments", shipping_router)
    api.add_router("/payments", payments_router)
    api.add_router("/returns", returns_router)
    api.add_router("/warranties", warranty_router)
    api.add_router("/repairs", repairs_router)
    api.add_router("/appointments", booking_router)
    api.add_router("/support", support_router)
    api.add_router("/loyalty", loyalty_router)
    api.add_router("/recommendations", recommendations_router)


_add_routers()
