"""`haumai import customers`: upsert by external_id then phone, addresses, consent, all-or-nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from haumai.customers.models import Address, Consent, Customer, Identity
from haumai.events.models import Event
from haumai.integrations.models import ImportRun

pytestmark = pytest.mark.django_db

HEADER = [
    "external_id", "full_name", "phone", "email", "birth_date", "gender",
    "province", "ward", "street", "marketing_consent",
]  # fmt: skip


def good_rows() -> list[list[object]]:
    return [
        HEADER,
        ["KH001", "Nguyễn Văn An", "0912 345 678", "An.Nguyen@Example.vn", "05/03/1990", "nam",
         "ha noi", "Hoàn Kiếm", "12 Hàng Bạc", "có"],
        ["KH002", "Trần Thị Bình", "+84987654321", "", "1985-12-31", "female",
         "79", "", "1 Lê Lợi", "no"],
        ["", "Lê Minh Châu", "0934567890", "", "", "", "", "", "", ""],
    ]  # fmt: skip


def test_customers_csv_creates_customers_addresses_consents(run_import, write_csv):
    outcome = run_import("customers", write_csv("customers.csv", good_rows()))

    assert outcome.ok, outcome
    assert "rows: 3" in outcome and "created: 3" in outcome
    an = Customer.objects.get(external_id="KH001")
    assert an.code.startswith("CUS-")
    assert (an.phone, an.email, an.birth_date, an.gender) == (
        "+84912345678",
        "an.nguyen@example.vn",
        dt.date(1990, 3, 5),
        "male",
    )
    assert an.search_key == "nguyen van an"
    address = Address.objects.get(customer=an)
    assert (address.province.name, address.ward.name, address.street) == (
        "Thành phố Hà Nội",
        "Phường Hoàn Kiếm",
        "12 Hàng Bạc",
    )
    assert address.is_default
    assert set(Consent.objects.filter(customer=an).values_list("granted", flat=True)) == {True}
    binh = Customer.objects.get(external_id="KH002")
    assert binh.birth_date == dt.date(1985, 12, 31)
    assert Address.objects.get(customer=binh).province_id == 79
    assert not Consent.objects.filter(customer=binh, granted=True).exists()
    assert Customer.objects.get(phone="+84934567890").external_id is None
    assert Identity.objects.filter(kind="phone").count() == 3
    run = ImportRun.objects.get()
    assert (run.kind, run.status, run.rows_imported) == ("customers", "completed", 3)
    assert Event.objects.filter(name="import.completed").count() == 1


def test_customers_xlsx_semicolon_and_bom_variants(run_import, write_csv, write_xlsx):
    rows = good_rows()
    rows[1][4] = dt.datetime(1990, 3, 5)
    rows[2][2] = 987654321  # typed as a number, leading zero lost
    assert run_import("customers", write_xlsx("customers.xlsx", rows)).ok
    assert Customer.objects.get(external_id="KH001").birth_date == dt.date(1990, 3, 5)
    assert Customer.objects.get(external_id="KH002").phone == "+84987654321"

    semicolon = write_csv("customers-excel.csv", good_rows(), delimiter=";", bom=True)
    outcome = run_import("customers", semicolon)

    assert outcome.ok, outcome
    assert "unchanged: 3" in outcome
    assert Customer.objects.count() == 3


def test_vietnamese_headers_are_accepted(run_import, write_csv):
    rows = [["Mã khách hàng", "Họ tên", "Số điện thoại", "Tỉnh/thành", "Địa chỉ"],
            ["KH9", "Phạm Quang", "0901234567", "Hồ Chí Minh", "1 Nguyễn Huệ"]]  # fmt: skip

    outcome = run_import("customers", write_csv("khach.csv", rows))

    assert outcome.ok, outcome
    assert Customer.objects.get(external_id="KH9").addresses.get().province.codename == "ho_chi_minh"


def test_reimport_is_idempotent_and_changed_rows_update(run_import, write_csv, snapshot):
    path = write_csv("customers.csv", good_rows())
    assert run_import("customers", path).ok
    before = snapshot()

    again = run_import("customers", path)

    assert again.ok and "unchanged: 3" in again and "created: 0" in again, again
    after = snapshot()
    after["Event"] -= 1
    assert after == before

    rows = good_rows()
    rows[1][1] = "Nguyễn Văn An (mới)"
    rows[2][8] = "2 Lê Lợi"
    changed = run_import("customers", write_csv("changed.csv", rows))
    assert changed.ok and "updated: 2" in changed, changed
    assert Customer.objects.get(external_id="KH001").search_key == "nguyen van an (moi)"
    assert Address.objects.filter(customer__external_id="KH002").count() == 2
    assert Customer.objects.count() == 3


def test_phone_owned_by_another_customer_is_a_conflict(run_import, write_csv, snapshot):
    assert run_import("customers", write_csv("customers.csv", good_rows())).ok
    before = snapshot()
    rows = [HEADER, ["KH001", "Nguyễn Văn An", "0987654321", "", "", "", "", "", "", ""]]

    outcome = run_import("customers", write_csv("conflict.csv", rows))

    assert not outcome.ok
    assert "line 2, column phone: conflict: +84987654321 belongs to customer CUS-" in outcome
    assert snapshot() == before


def test_same_phone_other_external_id_is_a_conflict(run_import, write_csv, snapshot):
    assert run_import("customers", write_csv("customers.csv", good_rows())).ok
    before = snapshot()
    rows = [HEADER, ["KH777", "Người khác", "0912345678", "", "", "", "", "", "", ""]]

    outcome = run_import("customers", write_csv("conflict.csv", rows))

    assert not outcome.ok
    assert "line 2, column external_id: conflict: +84912345678 belongs to customer CUS-" in outcome
    assert snapshot() == before


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (1, 2, "12345", "line 2, column phone: '12345' is not a valid phone number"),
        (2, 6, "Sài Gòn cũ", "line 3, column province: unknown province 'Sài Gòn cũ'"),
        (1, 7, "Phường Không Có", "line 2, column ward: unknown ward 'Phường Không Có'"),
        (1, 4, "31/02/1990", "line 2, column birth_date: '31/02/1990' is not a real date"),
        (1, 4, "1990/03/05", "line 2, column birth_date: '1990/03/05' is not a date (use dd/mm/yyyy or yyyy-mm-dd)"),
        (1, 3, "not-an-email", "line 2, column email: 'not-an-email' is not an e-mail address"),
        (1, 5, "robot", "line 2, column gender: 'robot' is not a known gender"),
        (1, 9, "maybe", "line 2, column marketing_consent: 'maybe' is not yes/no"),
        (1, 1, "", "line 2, column full_name: is required"),
        (3, 2, "", "line 4, column phone: a customer needs a phone or an external_id"),
        (3, 2, "0912345678", "line 4, column phone: +84912345678 is already on line 2"),
        (2, 0, "KH001", "line 3, column external_id: duplicate of line 2"),
    ],
)
def test_invalid_rows_reject_the_file(run_import, write_csv, snapshot, row, column, value, message):
    stored = Customer.objects.create(code="CUS-2026-900001", full_name="Đã có", phone="+84900000001", external_id="OLD")
    rows = good_rows()
    rows[row][column] = value
    before = snapshot()

    outcome = run_import("customers", write_csv("customers.csv", rows))

    assert not outcome.ok
    assert message in outcome, outcome
    assert snapshot() == before
    stored.refresh_from_db()
    assert stored.full_name == "Đã có"


def test_dry_run_and_skip_invalid(run_import, write_csv, snapshot):
    rows = good_rows()
    rows[2][2] = "000"
    before = snapshot()

    dry = run_import("customers", write_csv("customers.csv", good_rows()), "--dry-run")
    assert dry.ok and "dry run: nothing was written" in dry and "created: 3" in dry, dry
    assert snapshot() == before

    partial = run_import("customers", write_csv("partial.csv", rows), "--skip-invalid")
    assert partial.ok, partial
    assert "line 3, column phone:" in partial
    assert sorted(Customer.objects.values_list("full_name", flat=True)) == ["Lê Minh Châu", "Nguyễn Văn An"]
    assert ImportRun.objects.filter(dry_run=True, status="dry_run").count() == 1
    assert ImportRun.objects.get(dry_run=False).rows_invalid == 1
