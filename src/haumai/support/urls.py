from django.urls import path

from haumai.support import views, views_care, views_live

app_name = "support"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("approvals/", views_care.approvals, name="approvals"),
    path("approvals/<int:request_id>/", views_care.decide, name="decide"),
    path("customers/merge/", views_care.merge_customers, name="merge_customers"),
    path("calls/new/", views_care.new_call, name="new_call"),
    path("<str:code>/", views.ticket_page, name="ticket"),
    path("<str:code>/reply/", views.ticket_reply, name="reply"),
    path("<str:code>/update/", views.ticket_update, name="update"),
    path("<str:code>/presence/", views.ticket_presence, name="presence"),
    path("<str:code>/live/", views_live.ticket_live, name="live"),
    path("<str:code>/stream/", views_live.ticket_stream, name="stream"),
    path("<str:code>/macro/", views_care.apply_macro, name="macro"),
    path("<str:code>/goodwill/", views_care.request_goodwill, name="goodwill"),
    path("<str:code>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
