"""Console pages of warranties."""

from django.urls import path

from haumai.warranty import views

app_name = "warranty"
urlpatterns = [
    path("", views.warranty_list, name="list"),
    path("claims/", views.claim_list, name="claims"),
    path("claims/<str:code>/", views.claim_detail, name="claim"),
    path("claims/<str:code>/<slug:name>/", views.claim_action, name="claim_action"),
    path("<str:code>/", views.warranty_detail, name="detail"),
    path("<str:code>/proof/", views.proof_photo, name="proof"),
    path("<str:code>/claim/", views.file_claim, name="file_claim"),
    path("<str:code>/plans/", views.sell_plan, name="sell_plan"),
    path("<str:code>/plans/<str:plan_code>/cancel/", views.cancel_plan, name="cancel_plan"),
    path("<str:code>/extend/", views.extend, name="extend"),
]
