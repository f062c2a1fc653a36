from django.urls import path

from haumai.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("login/link/<str:token>/", views.login_link, name="login_link"),
    path("logout/", views.logout, name="logout"),
    path("orders/", views.orders, name="orders"),
    path("orders/<str:code>/", views.order_detail, name="order_detail"),
    path("lookup/", views.lookup, name="lookup"),
]

# Returns (haumai.returns): request from an order, follow, cancel.
from haumai.portal import return_views  # noqa: E402

urlpatterns += [
    path("returns/", return_views.my_returns, name="returns"),
    path("returns/wards/", return_views.ward_options, name="return_wards"),
    path("orders/<str:code>/return/", return_views.new_return, name="new_return"),
    path("orders/<str:code>/return/carriers/", return_views.carrier_options, name="return_carriers"),
    path("returns/<str:code>/", return_views.return_detail, name="return_detail"),
    path("returns/<str:code>/cancel/", return_views.cancel_return, name="cancel_return"),
]

# Warranty (haumai.warranty): public lookup and activation, my warranties, the e-card, claims.
from haumai.portal import warranty_views  # noqa: E402

urlpatterns += [
    path("warranty/", warranty_views.warranty_lookup, name="warranty_lookup"),
    path("warranty/activate/", warranty_views.activate, name="warranty_activate"),
    path("warranty/mine/", warranty_views.my_warranties, name="my_warranties"),
    path("warranty/card/<str:token>/", warranty_views.warranty_card, name="warranty_card"),
    path("warranty/card/<str:token>/pdf/", warranty_views.warranty_card_pdf, name="warranty_card_pdf"),
    path("warranty/<str:code>/claim/", warranty_views.new_claim, name="warranty_claim"),
]

# Personal data (haumai.privacy): my requests, export, deletion, consent withdrawal, download.
from haumai.portal import privacy_views  # noqa: E402

urlpatterns += [
    path("privacy/", privacy_views.my_data, name="privacy"),
    path("privacy/export/", privacy_views.request_export, name="privacy_export"),
    path("privacy/delete/", privacy_views.request_deletion, name="privacy_delete"),
    path("privacy/consent/withdraw/", privacy_views.withdraw_consent, name="privacy_withdraw"),
    path("privacy/restrict/", privacy_views.restrict_processing, name="privacy_restrict"),
    path("privacy/consent/marketing/", privacy_views.grant_marketing, name="privacy_grant"),
    path("privacy/download/<str:token>/", privacy_views.download_export, name="privacy_download"),
]

# Repairs (haumai.repairs): my repairs, the quote to approve (logged in or by signed link).
from haumai.portal import repair_views  # noqa: E402

urlpatterns += [
    path("repairs/", repair_views.my_repairs, name="my_repairs"),
    path("repairs/quote/<str:token>/", repair_views.repair_quote, name="repair_quote"),
    path("repairs/<str:code>/", repair_views.repair_detail, name="repair_detail"),
]
