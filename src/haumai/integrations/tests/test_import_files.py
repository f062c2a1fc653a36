"""File-level rejections: size, format, encoding and headers; nothing is read or written."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from haumai.integrations.models import ImportRun
from haumai.integrations.services import import_file

pytestmark = pytest.mark.django_db


def test_missing_and_unknown_headers_are_named(run_import, write_csv, snapshot):
    rows = [["sku", "nam", "price", "colour"], ["IP15", "iPhone", "1", "red"]]
    before = snapshot()

    outcome = run_import("products", write_csv("products.csv", rows))

    assert not outcome.ok
    assert "line 1 (header): missing column(s): name; unknown column(s): nam, colour" in outcome
    assert "Expected columns: sku*, name*, brand" in outcome
    assert snapshot() == before
    assert ImportRun.objects.get().status == "rejected"


def test_orders_header_missing_required_columns(run_import, write_csv, snapshot):
    rows = [["channel", "external_id", "sku"], ["shopee", "1", "IP15"]]
    before = snapshot()

    outcome = run_import("orders", write_csv("orders.csv", rows))

    assert not outcome.ok
    assert "missing column(s): placed_at, customer_phone, quantity, unit_price" in outcome
    assert snapshot() == before


def test_repeated_header_is_rejected(run_import, write_csv):
    outcome = run_import("customers", write_csv("c.csv", [["full_name", "phone", "sdt"], ["A", "0912345678", "x"]]))
    assert not outcome.ok and "repeated column(s): sdt" in outcome


def test_text_renamed_to_xlsx_is_refused(run_import, tmp_path, snapshot):
    path = tmp_path / "customers.xlsx"
    path.write_text("full_name,phone\nAn,0912345678\n", encoding="utf-8")
    before = snapshot()

    outcome = run_import("customers", path)

    assert not outcome.ok
    assert "customers.xlsx is not an Excel workbook (.xlsx): its content is not a spreadsheet" in outcome
    assert snapshot() == before


def test_damaged_zip_named_xlsx_is_refused(run_import, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    outcome = run_import("customers", path)
    assert not outcome.ok and "broken.xlsx is not a valid Excel workbook (.xlsx)" in outcome


def test_old_xls_and_format_mismatch(run_import, tmp_path, write_xlsx):
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    assert "old Excel 97-2003 (.xls)" in run_import("customers", old)
    workbook = write_xlsx("book.xlsx", [["full_name", "phone"], ["An", "0912345678"]])
    mismatch = run_import("customers", workbook, "--format", "csv")
    assert not mismatch.ok and "is a spreadsheet (.xlsx), not CSV text" in mismatch
    renamed = tmp_path / "book.dat"
    renamed.write_bytes(workbook.read_bytes())
    assert run_import("customers", renamed).ok  # detected by its magic bytes


def test_fifty_megabyte_file_is_refused_before_parsing(run_import, tmp_path, snapshot):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write(b"full_name,phone\n")
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing to parse
    before = snapshot()
    started = time.perf_counter()

    outcome = run_import("customers", path)

    assert time.perf_counter() - started < 2
    assert not outcome.ok
    assert "huge.csv is 50.0 MB; files above 20 MB are refused" in outcome
    assert snapshot() == before


def test_size_limit_follows_settings(settings, write_csv):
    settings.HAUMAI_MAX_IMPORT_BYTES = 10
    result = import_file(kind="customers", path=write_csv("c.csv", [["full_name", "phone"], ["An", "0912345678"]]))
    assert result.status == "rejected" and "files above 0 MB are refused" in result.rejection


def test_non_utf8_csv_is_refused_with_its_line(run_import, tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes(b"full_name,phone\nAn,0912345678\n" + "Bình,0987654321\n".encode("cp1252"))
    outcome = run_import("customers", path)
    assert not outcome.ok and "line 3: legacy.csv is not UTF-8 text" in outcome


def test_empty_file_and_row_longer_than_header(run_import, tmp_path, write_csv):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "empty.csv is empty" in run_import("customers", empty)
    long_row = run_import("customers", write_csv("c.csv", [["full_name", "phone"], ["An", "0912345678", "extra"]]))
    assert not long_row.ok and "line 2: the row has 3 cells but the header has 2" in long_row


def test_line_numbers_count_blank_lines_and_quoted_newlines(run_import, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text('full_name,phone\n\n"An\nNguyễn",0912345678\nBình,123\n', encoding="utf-8")
    outcome = run_import("customers", path)
    assert not outcome.ok and "line 5, column phone: '123' is not a valid phone number" in outcome


def test_cli_exit_code_and_summary(write_csv, tmp_path):
    good = write_csv("p.csv", [["sku", "name", "price"], ["A1", "Cáp sạc", "99000"]])
    bad = write_csv("bad.csv", [["sku", "name", "price"], ["A1", "Cáp sạc", "99.5"]])
    env = {**os.environ, "HAUMAI_DATA_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "haumai"]
    subprocess.run([*command, "migrate", "-v0"], env=env, check=True, capture_output=True)
    accepted = subprocess.run([*command, "import", "products", str(good)], env=env, capture_output=True, text=True)
    rejected = subprocess.run([*command, "import", "products", str(bad)], env=env, capture_output=True, text=True)
    assert accepted.returncode == 0, accepted.stderr
    assert "rows: 1  valid: 1  imported: 1" in accepted.stdout and "rows/s" in accepted.stdout
    assert rejected.returncode != 0
    assert "line 2, column price: '99.5' is not a whole amount of VND" in rejected.stdout
    assert "import rejected" in rejected.stderr
