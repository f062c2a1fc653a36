"""Helpers for import tests: write CSV/XLSX files, run `haumai import`, snapshot table counts."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from haumai.catalog.models import Category, Product, Unit
from haumai.customers.models import Address, Consent, Customer, Identity
from haumai.events.models import Event
from haumai.sales.bulk import ensure_channel
from haumai.sales.models import Order, OrderLine, Store

Rows = Sequence[Sequence[Any]]


@pytest.fixture(autouse=True)
def _reports_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Problem reports of test imports go to the test's own folder, not the data directory."""
    settings.HAUMAI_IMPORT_REPORTS_DIR = tmp_path / "import-reports"


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    def write(name: str, rows: Rows, *, delimiter: str = ",", bom: bool = False) -> Path:
        buffer = StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
        path = tmp_path / name
        path.write_text(("\ufeff" if bom else "") + buffer.getvalue(), encoding="utf-8")
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path: Path) -> Callable[..., Path]:
    from openpyxl import Workbook

    def write(name: str, rows: Rows) -> Path:
        workbook = Workbook()
        sheet = workbook.active
        for row in rows:
            sheet.append(list(row))
        path = tmp_path / name
        workbook.save(path)
        return path

    return write


class Outcome:
    """What `haumai import` printed, and whether it failed."""

    def __init__(self, output: str, error: str | None) -> None:
        self.output = output
        self.error = error

    @property
    def ok(self) -> bool:
        return self.error is None

    def __contains__(self, text: str) -> bool:
        return text in self.output or text in (self.error or "")

    def __repr__(self) -> str:
        return f"Outcome(error={self.error!r}, output=\n{self.output})"


@pytest.fixture
def run_import(db: Any) -> Callable[..., Outcome]:
    def run(kind: str, path: Path, *flags: str) -> Outcome:
        out, err = StringIO(), StringIO()
        try:
            call_command("import", kind, str(path), *flags, stdout=out, stderr=err)
        except CommandError as exc:
            return Outcome(out.getvalue() + err.getvalue(), str(exc))
        return Outcome(out.getvalue() + err.getvalue(), None)

    return run


MODELS = (Customer, Identity, Address, Consent, Category, Product, Unit, Order, OrderLine, Event)


@pytest.fixture
def snapshot(db: Any) -> Callable[[], dict[str, Any]]:
    """Counts of every table an import may write, plus a fingerprint of the stored rows."""

    def take() -> dict[str, Any]:
        counts: dict[str, Any] = {model.__name__: model.objects.count() for model in MODELS}
        counts["customer_rows"] = list(
            Customer.objects.order_by("id").values_list("full_name", "phone", "email", "external_id", "birth_date")
        )
        counts["product_rows"] = list(Product.objects.order_by("id").values_list("sku", "name", "price", "brand"))
        counts["unit_rows"] = list(Unit.objects.order_by("id").values_list("serial", "status"))
        counts["order_rows"] = list(Order.objects.order_by("id").values_list("code", "status", "total"))
        return counts

    return take


@pytest.fixture
def channel(db: Any) -> Any:
    return ensure_channel(code="shopee", name="Shopee", kind="marketplace")


@pytest.fixture
def store(db: Any) -> Store:
    return Store.objects.create(code="hn01", name="Cửa hàng Hoàn Kiếm", province_id=1)


@pytest.fixture
def products(db: Any) -> dict[str, Product]:
    phone = Product.objects.create(
        sku="IP15", name="iPhone 15", search_key="iphone 15", price=20_000_000, is_serialized=True
    )
    case = Product.objects.create(sku="CASE1", name="Ốp lưng", search_key="op lung", price=150_000)
    return {"IP15": phone, "CASE1": case}
