"""Demo imports: a customer file a branch sent in, previewed twice (as uploaded, and with its bad row skipped),
so the imports page shows a refused preview with its problem report and one ready to import."""

from __future__ import annotations

from typing import Any

from haumai.core import clock
from haumai.integrations.models import ImportRun
from haumai.integrations.services import import_file
from haumai.integrations.uploads import uploads_dir

FILE_NAME = "khach-hang-chi-nhanh-thu-duc.csv"
ROWS = (
    "Mã khách hàng,Họ tên,Số điện thoại,Email,Ngày sinh,Giới tính,Tỉnh thành\n"
    "TD-0001,Đỗ Minh Khang,0912 480 315,khang.do@example.vn,12/04/1991,nam,79\n"
    "TD-0002,Huỳnh Thị Ngọc Lan,0938 226 104,,03/11/1987,nữ,79\n"
    "TD-0003,Phan Quốc Bảo,09 0000,bao.phan@example,,,79\n"
    "TD-0004,Lâm Gia Hân,0977 615 920,gia.han@example.vn,25/08/1999,nữ,79\n"
)


def seed_imports() -> dict[str, int]:
    """Two previews of one file (nothing written); idempotent: a demo database keeps the first pair."""
    if ImportRun.objects.filter(file_name=FILE_NAME).exists():
        return {"import runs": 0}
    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"demo-{FILE_NAME}"
    path.write_text(ROWS, encoding="utf-8")
    runs: list[Any] = []
    for skip_invalid in (False, True):
        run = ImportRun.objects.create(
            kind="customers", file_name=FILE_NAME, dry_run=True, skip_invalid=skip_invalid, started_at=clock.now(),
            status="queued", stored_file=str(path), file_size=path.stat().st_size,
        )  # fmt: skip
        import_file(
            kind="customers", path=path, dry_run=True, skip_invalid=skip_invalid, file_name=FILE_NAME, run=run,
        )  # fmt: skip
        runs.append(run)
    return {"import runs": len(runs)}
