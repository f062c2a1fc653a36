"""Support webhooks under /hooks/support/: inbound e-mail (this module) and the channel adapters' (Zalo, Facebook)."""

from django.urls import path

from haumai.support import webhooks
from haumai.support.channels import webhook_urls as channel_hooks

app_name = "support_hooks"
urlpatterns = [path("email/", webhooks.inbound_email, name="email"), *channel_hooks.urlpatterns]
