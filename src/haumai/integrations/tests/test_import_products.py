"""`haumai import products`: upsert by SKU, categories by code or name, whole VND only."""

from __future__ import annotations

import pytest

from haumai.catalog.models import Category, Product

pytestmark = pytest.mark.django_db

HEADER = [
    "sku",
    "name",
    "brand",
    "category",
    "price",
    "is_serialized",
    "warranty_months",
    "warranty_start",
    "return_days",
]


def good_rows() -> list[list[object]]:
    return [
        HEADER,
        ["IP15", "iPhone 15 128GB", "Apple", "Điện thoại", "20.990.000", "yes", "12", "purchase", "7"],
        ["CASE1", "Ốp lưng iPhone 15", "", "Phụ kiện", "150000 ₫", "no", "0", "", "30"],
        ["TV55", "Tivi 55 inch", "Sony", "", "15990000", "có", "24", "kich hoat", ""],
    ]


def test_products_csv_creates_products_and_categories(run_import, write_csv):
    outcome = run_import("products", write_csv("products.csv", good_rows()))

    assert outcome.ok, outcome
    assert "created: 3" in outcome
    phone = Product.objects.get(sku="IP15")
    assert (phone.name, phone.brand, phone.price, phone.is_serialized) == ("iPhone 15 128GB", "Apple", 20_990_000, True)
    assert (phone.warranty_months, phone.warranty_start, phone.return_days) == (12, "purchase", 7)
    assert phone.category.name == "Điện thoại" and phone.category.code == "dien-thoai"
    assert phone.search_key == "iphone 15 128gb"
    case = Product.objects.get(sku="CASE1")
    assert (case.price, case.is_serialized, case.return_days) == (150_000, False, 30)
    tv = Product.objects.get(sku="TV55")
    assert (tv.category, tv.warranty_start, tv.return_days) == (None, "activation", 7)  # blank keeps the default
    assert Category.objects.count() == 2


def test_products_xlsx_with_number_cells_and_existing_category(run_import, write_xlsx):
    Category.objects.create(code="phu-kien", name="Phụ kiện")
    rows = good_rows()
    rows[1][4], rows[1][6], rows[1][8] = 20_990_000, 12, 7
    rows[2][3] = "PHU KIEN"  # matched to the stored category without case or diacritics

    outcome = run_import("products", write_xlsx("products.xlsx", rows))

    assert outcome.ok, outcome
    assert Product.objects.get(sku="IP15").price == 20_990_000
    assert Product.objects.get(sku="CASE1").category.code == "phu-kien"
    assert Category.objects.count() == 2


def test_reimport_is_idempotent_and_changes_update(run_import, write_csv, snapshot):
    path = write_csv("products.csv", good_rows())
    assert run_import("products", path).ok
    before = snapshot()

    again = run_import("products", path)

    assert again.ok and "unchanged: 3" in again and "created: 0" in again, again
    after = snapshot()
    after["Event"] -= 1
    assert after == before
    rows = good_rows()
    rows[1][4] = "19.990.000"
    changed = run_import("products", write_csv("changed.csv", rows))
    assert changed.ok and "updated: 1" in changed and "unchanged: 2" in changed, changed
    assert Product.objects.get(sku="IP15").price == 19_990_000


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (1, 4, "20990000.5", "line 2, column price: '20990000.5' is not a whole amount of VND"),
        (1, 4, "20,99", "line 2, column price: '20,99' is not a whole amount of VND"),
        (1, 4, "-1000", "line 2, column price: amount cannot be negative"),
        (2, 4, "free", "line 3, column price: 'free' is not a whole amount of VND"),
        (1, 6, "1.5", "line 2, column warranty_months: '1.5' is not a whole number"),
        (1, 8, "-3", "line 2, column return_days: must be at least 0, got -3"),
        (1, 5, "maybe", "line 2, column is_serialized: 'maybe' is not yes/no"),
        (1, 7, "tomorrow", "line 2, column warranty_start: 'tomorrow' is not a known warranty start"),
        (2, 0, "", "line 3, column sku: is required"),
        (2, 1, "N" * 201, "line 3, column name: is longer than 200 characters"),
        (2, 1, "", "line 3, column name: is required"),
        (3, 0, "IP15", "line 4, column sku: SKU IP15 is already on line 2"),
    ],
)
def test_invalid_rows_reject_the_file(run_import, write_csv, snapshot, row, column, value, message):
    Product.objects.create(sku="IP15", name="Giữ nguyên", search_key="giu nguyen", price=1)
    rows = good_rows()
    rows[row][column] = value
    before = snapshot()

    outcome = run_import("products", write_csv("products.csv", rows))

    assert not outcome.ok
    assert message in outcome, outcome
    assert snapshot() == before
    assert Product.objects.get(sku="IP15").name == "Giữ nguyên"


def test_dry_run_and_skip_invalid(run_import, write_csv, snapshot):
    before = snapshot()
    dry = run_import("products", write_csv("products.csv", good_rows()), "--dry-run")
    assert dry.ok and "dry run: nothing was written" in dry and "created: 3" in dry, dry
    assert snapshot() == before

    rows = good_rows()
    rows[2][4] = "1,5"
    partial = run_import("products", write_csv("partial.csv", rows), "--skip-invalid")

    assert partial.ok, partial
    assert "line 3, column price: '1,5' is not a whole amount of VND" in partial
    assert sorted(Product.objects.values_list("sku", flat=True)) == ["IP15", "TV55"]
