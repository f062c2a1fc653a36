"""URL map: admin, REST API v1, health check."""

from __future__ import annotations

from django.contrib import admin
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.http import require_GET
from django.views.generic import RedirectView

from haumai.accounts.views import admin_login
from haumai.api import api


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness + database check for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="console:home", permanent=False)),
    path("console/", include("haumai.console.urls")),
    path("console/customers/", include("haumai.customers.urls")),
    path("console/messaging/", include("haumai.messaging.urls")),
    path("console/journeys/", include("haumai.journeys.urls")),
    path("console/shipping/", include("haumai.shipping.urls")),
    path("console/inventory/", include("haumai.inventory.urls")),
    path("console/returns/", include("haumai.returns.urls")),
    path("console/warranty/", include("haumai.warranty.urls")),
    path("console/repairs/", include("haumai.repairs.urls")),
    path("console/payments/", include("haumai.payments.urls")),
    path("console/surveys/", include("haumai.surveys.urls")),
    path("console/analytics/", include("haumai.analytics.urls")),
    path("console/loyalty/", include("haumai.loyalty.urls")),
    path("console/segments/", include("haumai.segments.urls")),
    path("console/", include("haumai.repairs.booking.urls")),  # service-centers/, appointments/, visits/...
    path("portal/appointments/", include("haumai.repairs.booking.portal_urls")),
    path("portal/rewards/", include("haumai.loyalty.portal_urls")),
    path("console/privacy/", include("haumai.privacy.urls")),
    path("console/imports/", include("haumai.integrations.urls")),
    path("console/inbox/", include("haumai.support.urls")),
    path("console/support/sla/", include("haumai.support.sla.urls")),
    path("console/support/assignment/", include("haumai.support.assignment.urls")),
    path("console/knowledge/", include("haumai.knowledge.urls")),
    path("console/bot/", include("haumai.bot.urls")),
    path("console/assist/", include("haumai.assist.urls")),
    path("portal/help/", include("haumai.knowledge.portal_urls")),
    path("portal/", include("haumai.portal.urls")),
    path("m/", include("haumai.messaging.public_urls")),
    path("s/", include("haumai.surveys.public_urls")),
    path("hooks/", include("haumai.webhooks_urls")),
    path("widget/", include("haumai.support.widget_urls")),  # the website chat widget (script, visitor API)
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/login/", admin_login, name="admin_login"),  # before admin/: the login policy's entry point
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("healthz", health, name="health"),
]

handler403 = "haumai.error_views.permission_denied"
handler400 = "haumai.error_views.bad_request"
handler404 = "haumai.error_views.page_not_found"
handler500 = "haumai.error_views.server_error"
