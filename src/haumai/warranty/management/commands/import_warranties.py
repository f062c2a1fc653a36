"""`haumai import_warranties FILE [--dry-run]`: warranties of units sold before Haumai (CSV or XLSX).

Columns: serial*, sku*, phone*, purchased_on* (dd/mm/yyyy or yyyy-mm-dd), full_name (needed for a new
customer), imei, starts_on. All-or-nothing: any invalid row rejects the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haumai.core.errors import DomainError
from haumai.integrations.importing import values
from haumai.integrations.importing.files import Column, read_table
from haumai.integrations.importing.report import FileRejected
from haumai.warranty import services

COLUMNS = (
    Column("serial", required=True, aliases=("Số serial", "Serial", "Số máy")),
    Column("sku", required=True, aliases=("Mã sản phẩm", "Mã hàng")),
    Column("phone", required=True, aliases=("Số điện thoại", "SĐT")),
    Column("purchased_on", required=True, aliases=("Ngày mua",)),
    Column("full_name", aliases=("Họ tên", "Tên khách hàng")),
    Column("imei", aliases=("IMEI",)),
    Column("starts_on", aliases=("Ngày bắt đầu bảo hành",)),
)


class Command(BaseCommand):
    help = "Import warranties of units sold before Haumai from a CSV or XLSX file (all-or-nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            table = read_table(Path(options["file"]), COLUMNS)
        except (FileRejected, DomainError, ValueError, OSError) as exc:
            raise CommandError(f"import rejected: {exc}") from exc
        rows: list[services.ImportRow] = []
        problems: list[str] = [f"line {e.line}: {e.message}" for e in table.errors]
        for line, cells in table.rows:

            def cell(name: str, cells: list[str] = cells) -> str:
                return cells[table.position(name)]

            try:
                rows.append(
                    services.ImportRow(
                        serial=cell("serial"),
                        sku=cell("sku"),
                        phone=cell("phone"),
                        full_name=cell("full_name"),
                        imei=cell("imei") or None,
                        purchased_on=values.date(cell("purchased_on")),
                        starts_on=values.date(cell("starts_on")) if cell("starts_on") else None,
                    )
                )
            except values.CellError as exc:
                problems.append(f"line {line}: {exc}")
        if problems:
            raise CommandError("import rejected:\n" + "\n".join(problems[:200]))
        try:
            created = services.import_warranties(actor=None, rows=rows, dry_run=options["dry_run"])
        except DomainError as exc:
            lines = {index: line for index, (line, _cells) in enumerate(table.rows)}
            details = []
            for error in exc.errors[:200]:
                _prefix, _sep, rest = error.field.partition(".")
                index, _sep, field = rest.partition(".")
                where = f"line {lines.get(int(index), '?')} {field}" if index.isdigit() else error.field
                details.append(f"{where}: {error.message}")
            raise CommandError("import rejected: " + exc.message + "\n" + "\n".join(details)) from exc
        if options["dry_run"]:
            self.stdout.write(f"{len(rows)} rows valid (dry run, nothing written)")
        else:
            self.stdout.write(f"{len(created)} warranties imported")
