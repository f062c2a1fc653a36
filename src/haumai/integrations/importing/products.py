"""Products import: upsert by SKU; categories are matched by code or name and created when new."""

from __future__ import annotations

from typing import Any

from haumai.catalog import bulk as catalog_bulk
from haumai.catalog.models import WarrantyStart
from haumai.integrations.importing import values
from haumai.integrations.importing.files import Column, Table
from haumai.integrations.importing.report import ImportResult, RowError

COLUMNS = (
    Column("sku", True, ("ma_sp", "ma_hang", "ma_san_pham")),
    Column("name", True, ("ten", "ten_san_pham", "ten_hang")),
    Column("brand", False, ("thuong_hieu", "hang")),
    Column("category", False, ("danh_muc", "nganh_hang", "loai")),
    Column("price", False, ("gia", "gia_ban", "don_gia")),
    Column("is_serialized", False, ("co_serial", "quan_ly_serial", "serialized")),
    Column("warranty_months", False, ("bao_hanh_thang", "thoi_gian_bao_hanh", "bao_hanh")),
    Column("warranty_start", False, ("bat_dau_bao_hanh", "tinh_bao_hanh_tu")),
    Column("return_days", False, ("so_ngay_doi_tra", "doi_tra_ngay", "ngay_doi_tra")),
)

WARRANTY_STARTS = {value: value for value in WarrantyStart.values} | {
    "ngay_mua": "purchase",
    "mua": "purchase",
    "ngay_giao": "delivery",
    "giao_hang": "delivery",
    "kich_hoat": "activation",
    "ngay_kich_hoat": "activation",
}


class ProductsImport:
    """Validate the rows of a products file, then (optionally) upsert the valid products."""

    def __init__(self, table: Table, result: ImportResult) -> None:
        self.table = table
        self.result = result
        self.errors: list[RowError] = list(table.errors)
        self.bad_lines: set[int] = {e.line for e in self.errors}
        self.records: list[tuple[int, catalog_bulk.ProductRecord]] = []

    def error(self, line: int, column: str, message: str) -> None:
        """Report one problem; the line will not be imported."""
        self.errors.append(RowError(line, column, message))
        self.bad_lines.add(line)

    def validate(self) -> None:
        """Read every row and check the rules; SKUs may appear once per file."""
        seen: dict[str, int] = {}
        for line, cells in self.table.rows:
            record = self._read(line, cells)
            if record is None or line in self.bad_lines:
                continue
            if record.sku in seen:
                self.error(line, "sku", f"SKU {record.sku} is already on line {seen[record.sku]}")
                continue
            seen[record.sku] = line
            self.records.append((line, record))
        stored = catalog_bulk.product_refs(seen)
        self.result.created = sum(1 for _, r in self.records if r.sku not in stored)
        self.result.extra["existing"] = len(self.records) - self.result.created
        self.result.rows_total = len(self.table.rows)
        self.result.rows_valid = len(self.records)
        self.result.rows_invalid = self.result.rows_total - len(self.records)
        self.errors.sort(key=lambda e: e.line)
        self.result.errors = self.errors

    def _read(self, line: int, cells: list[Any]) -> catalog_bulk.ProductRecord | None:
        index = self.table.index

        def cell(name: str) -> Any:
            return cells[index[name]] if name in index else ""

        errors_before = len(self.errors)
        sku, name = values.text(cell("sku")), values.text(cell("name"))
        if not sku:
            self.error(line, "sku", "is required")
        elif len(sku) > 64:
            self.error(line, "sku", "is longer than 64 characters")
        if not name:
            self.error(line, "name", "is required")
        record = catalog_bulk.ProductRecord(sku=sku, name=name)
        record.brand = values.text(cell("brand")) or None
        record.category = values.text(cell("category")) or None
        for column, value, limit in (
            ("name", name, 200),
            ("brand", record.brand, 80),
            ("category", record.category, 120),
        ):
            if value and len(value) > limit:
                self.error(line, column, f"is longer than {limit} characters")
        readers = {
            "price": values.vnd,
            "is_serialized": values.yes_no,
            "warranty_months": lambda v: values.whole_number(v, minimum=0),
            "warranty_start": lambda v: values.choice(v, WARRANTY_STARTS, "warranty start"),
            "return_days": lambda v: values.whole_number(v, minimum=0),
        }
        for column, reader in readers.items():
            raw = cell(column)
            if values.text(raw) == "":
                continue
            try:
                setattr(record, column, reader(raw))
            except values.CellError as exc:
                self.error(line, column, str(exc))
        return record if len(self.errors) == errors_before else None

    def write(self) -> None:
        """Upsert the valid products."""
        counts = catalog_bulk.upsert_products(records=[r for _, r in self.records])
        self.result.created, self.result.updated, self.result.unchanged = (
            counts.created,
            counts.updated,
            counts.unchanged,
        )
        self.result.extra.pop("existing", None)
        self.result.rows_imported = len(self.records)
