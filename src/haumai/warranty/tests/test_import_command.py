"""`haumai import_warranties FILE`: a CSV of units sold before Haumai, all-or-nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from haumai.warranty.models import Warranty
from haumai.warranty.tests.conftest import Shop

HEADER = "Số serial,Mã sản phẩm,Số điện thoại,Ngày mua,Họ tên\n"


def test_import_file_with_vietnamese_headers(shop: Shop, tmp_path: Path) -> None:
    good = tmp_path / "bao-hanh.csv"
    good.write_text(
        HEADER + "OLD-1,IP15,0912345678,15/01/2026,\nOLD-2,IP15,0933000111,20/02/2026,Phạm Thị Cũ\n", "utf-8"
    )
    bad = tmp_path / "sai.csv"
    bad.write_text(HEADER + "OLD-3,IP15,0912345678,32/01/2026,\nOLD-4,NOPE,0912345678,01/01/2026,\n", "utf-8")
    with pytest.raises(CommandError, match="line 2"):
        call_command("import_warranties", str(bad))
    assert not Warranty.objects.exists()
    call_command("import_warranties", str(good), "--dry-run")
    assert not Warranty.objects.exists()
    call_command("import_warranties", str(good))
    first, second = Warranty.objects.order_by("id")
    assert first.customer == shop.an and first.ends_on == dt.date(2027, 1, 14)
    assert second.customer.full_name == "Phạm Thị Cũ" and second.source == "import"
