"""Console pages of repairs. Order URLs match RO codes only, so other pages of this app (appointments)
can live beside them under /console/repairs/."""

from django.urls import path, re_path

from haumai.repairs import views

CODE = r"(?P<code>[Rr][Oo]-\d{4}-\d{6})"

app_name = "repairs"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("intake/", views.intake, name="intake"),
    re_path(rf"^{CODE}/$", views.detail, name="detail"),
    re_path(rf"^{CODE}/receipt/$", views.receipt, name="receipt"),
    re_path(rf"^{CODE}/receipt/pdf/$", views.receipt_pdf, name="receipt_pdf"),
    re_path(rf"^{CODE}/photos/(?P<photo_id>\d+)/$", views.photo, name="photo"),
    re_path(rf"^{CODE}/actions/(?P<name>[a-z_]+)/$", views.action, name="action"),
]
