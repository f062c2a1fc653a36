"""The website chat widget under /widget/: the script, the visitor API and a demo page."""

from django.urls import path

from haumai.support import widget_views

app_name = "support_widget"
urlpatterns = [
    path("haumai-chat.js", widget_views.script, name="script"),
    path("demo/", widget_views.demo, name="demo"),
    path("api/session", widget_views.session, name="session"),
    path("api/messages", widget_views.messages, name="messages"),
    path("api/typing", widget_views.typing, name="typing"),
    path("api/stream-ticket", widget_views.stream_ticket, name="stream_ticket"),
    path("api/stream", widget_views.stream, name="stream"),
    path("api/offline", widget_views.offline, name="offline"),
]
