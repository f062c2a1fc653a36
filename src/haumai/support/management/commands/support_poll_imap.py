"""Poll the support mailbox once (configured by HAUMAI_SUPPORT_IMAP_*); the worker also polls it on its own."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haumai.support.channels.imap import configured_mailbox, poll_mailbox


class Command(BaseCommand):
    help = "Fetch new mail from the support mailbox into tickets now (resumes from the stored UID)."

    def handle(self, *args: Any, **options: Any) -> None:
        config = configured_mailbox()
        if config is None:
            raise CommandError("Set HAUMAI_SUPPORT_IMAP_HOST and HAUMAI_SUPPORT_IMAP_USER first")
        result = poll_mailbox(config)
        if result.error:
            raise CommandError(f"IMAP poll failed after {result.stored} new message(s): {result.error}")
        self.stdout.write(f"{result.stored} new message(s), {result.seen} read")
