"""`haumai sla_recalculate [--calendar ID] [--policy ID]`: recompute open tickets' SLA clocks now.

Runs the recalculator the tickets side registered (see `haumai.support.sla.services`); without one it
says so and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from haumai.support.sla import services


class Command(BaseCommand):
    help = "Recalculate the SLA clocks of open tickets (after a calendar or policy change)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--calendar", type=int, default=None, help="only tickets on this calendar")
        parser.add_argument("--policy", type=int, default=None, help="only tickets under this policy")

    def handle(self, *args: Any, **options: Any) -> None:
        if not services.has_recalculator():
            self.stdout.write("No recalculator is registered (the tickets module is not installed); nothing done.")
            return
        count = services.recalculate_open_tickets(
            calendar_id=options["calendar"], policy_id=options["policy"], reason="command"
        )
        self.stdout.write(f"{count} open tickets recalculated.")
