"""`haumai import customers|products|orders FILE [--dry-run] [--skip-invalid] [--format csv|xlsx] [--report CSV]`."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError

from haumai.integrations.importing.report import ImportResult
from haumai.integrations.services import KINDS, columns_of, import_file


class Command(BaseCommand):
    help = (
        "Import customers, products or orders from a CSV (UTF-8, comma or semicolon) or XLSX file. "
        "All-or-nothing: any invalid row rejects the whole file unless --skip-invalid."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        from argparse import RawDescriptionHelpFormatter

        lines = [
            f"  {kind}: " + ", ".join(c.name + ("*" if c.required else "") for c in columns_of(kind)) for kind in KINDS
        ]
        epilog = (
            "columns (* required; Vietnamese header aliases such as 'Số điện thoại' or 'Mã đơn' also work):\n"
            + "\n".join(lines)
            + "\n\ncustomers: each row needs a phone or an external_id; blank cells never erase stored values."
            + "\norders: one row per order line; rows with the same channel + external_id are one order;"
            + "\n  a blank unit_price takes the product's price; unknown customers are created from the phone;"
            + "\n  carrier + tracking_code (e.g. ghn, GHN-LX7Q2) register the order's delivery shipment, which the"
            + "\n  carrier's webhooks then move (a code already used by another order is a problem of that row)."
            + "\ndates: dd/mm/yyyy or yyyy-mm-dd (times hh:mm[:ss], Vietnam time); amounts: whole VND."
            + "\nexit status: 0 when imported (or dry run passed), 1 when the file is rejected."
        )
        return super().create_parser(
            prog_name, subcommand, epilog=epilog, formatter_class=RawDescriptionHelpFormatter, **kwargs
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
        parser.add_argument("--skip-invalid", action="store_true", help="import valid rows, report invalid ones")
        parser.add_argument("--format", choices=("csv", "xlsx"), help="file format (default: detected)")
        parser.add_argument("--max-errors", type=int, default=200, help="problems to print (default 200)")
        parser.add_argument(
            "--report",
            metavar="CSV",
            help="write every problem to this CSV file (default: import-reports/import-run-<id>-problems.csv "
            "in the data directory)",
        )
        parser.add_argument("--json", action="store_true", help="print the summary as one JSON line")
        parser.add_argument(
            "--order-events", action="store_true", help="also record one order.imported event per order (slower)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind: str = options["kind"]
        try:
            result = import_file(
                kind=kind,
                path=options["file"],
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                file_format=options["format"],
                order_events=options["order_events"],
                report_path=options["report"],
            )
        except IntegrityError as exc:
            raise CommandError(
                f"import failed and nothing was imported: the same records were stored meanwhile by another "
                f"import or API call ({exc.__class__.__name__}); run the import again"
            ) from exc
        self._print_report(result, options["max_errors"])
        if options["json"]:
            self.stdout.write(json.dumps(result.summary(), ensure_ascii=False))
        if result.status == "rejected":
            if result.rejection and not result.errors:
                columns = ", ".join(c.name + ("*" if c.required else "") for c in columns_of(kind))
                self.stderr.write(f"columns of a {kind} file: {columns}")
            raise CommandError(f"import rejected: {result.rejection}")

    def _print_report(self, result: ImportResult, max_errors: int) -> None:
        write = self.stdout.write
        if result.rejection and not result.errors:
            write(f"{result.file_name}: {result.rejection}")
        for error in result.errors[:max_errors]:
            write(str(error))
        hidden = len(result.errors) - max_errors
        if hidden > 0:
            write(f"... and {hidden} more problem(s)")
        if result.report_path:
            write(f"all {len(result.errors)} problem(s) are listed in {result.report_path}")
        elif result.report_error:
            self.stderr.write(
                f"the problem report could not be written ({result.report_error}); "
                f"all {len(result.errors)} problem(s) are stored on import run #{result.run_id}"
            )
        outcome = {
            "completed": "imported",
            "partial": "imported the valid rows; invalid rows skipped",
            "dry_run": "dry run: nothing was written",
            "rejected": "rejected: nothing was imported",
        }.get(result.status, result.status)
        extra = "".join(f"  {k}: {v}" for k, v in result.extra.items())
        write(
            f"{result.kind} from {result.file_name}: {outcome}\n"
            f"rows: {result.rows_total}  valid: {result.rows_valid}  imported: {result.rows_imported}  "
            f"invalid: {result.rows_invalid}  created: {result.created}  updated: {result.updated}  "
            f"unchanged: {result.unchanged}{extra}\n"
            f"seconds: {result.seconds:.2f}  rows/s: {result.rows_per_second:.0f}  (import run #{result.run_id})"
        )
