"""Console pages of the knowledge base (mounted at /console/knowledge/)."""

from django.urls import path

from haumai.knowledge import views, views_reports, views_steps

app_name = "knowledge"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("new/", views.article_new, name="new"),
    path("images/", views.image_upload, name="image_upload"),
    path("insert/", views.insert_search, name="insert"),
    path("feedback/", views_reports.feedback_summary, name="feedback"),
    path("gaps/", views_reports.content_gaps, name="gaps"),
    path("<int:article_id>/", views.article_edit, name="edit"),
    path("<int:article_id>/preview/", views.article_preview, name="preview"),
    path("<int:article_id>/versions/", views_reports.version_list, name="versions"),
    path("<int:article_id>/versions/<int:number>/", views_reports.version_detail, name="version"),
    path("<int:article_id>/steps/", views_steps.step_tree, name="steps"),
    path("<int:article_id>/steps/add/", views_steps.step_add, name="step_add"),
    path("<int:article_id>/steps/<int:step_id>/edit/", views_steps.step_edit, name="step_edit"),
    path("<int:article_id>/steps/<int:step_id>/remove/", views_steps.step_remove, name="step_remove"),
    path("<int:article_id>/<slug:action>/", views.article_action, name="action"),
]
