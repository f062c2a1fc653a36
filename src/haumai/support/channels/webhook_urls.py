"""Support channel webhooks under /hooks/support/."""

from django.urls import path

from haumai.support.channels import webhooks

app_name = "support_hooks"
urlpatterns = [
    path("zalo/", webhooks.zalo_oa, name="zalo"),
    path("facebook/", webhooks.facebook_messenger, name="facebook"),
]
