"""`haumai createadmin`: create or reset an administrator account."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haumai.accounts.services import create_staff_user
from haumai.core.errors import DomainError


class Command(BaseCommand):
    help = "Create (or reset) an administrator. Password: --password, $HAUMAI_ADMIN_PASSWORD or a prompt."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or os.environ.get("HAUMAI_ADMIN_PASSWORD")
        if not password:
            password = getpass.getpass("Password: ")
        if len(password) < 8:
            raise CommandError("The password must have at least 8 characters")
        try:
            user = create_staff_user(
                username=options["username"], password=password, role="admin", email=options["email"], superuser=True
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Administrator '{user.username}' is ready."))
