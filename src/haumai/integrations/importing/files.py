"""Opening an import file: size limit, format detection, CSV/XLSX reading and header mapping."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings

from haumai.core.text import search_key
from haumai.integrations.importing import progress
from haumai.integrations.importing.report import FileRejected, RowError

FORMATS = ("csv", "xlsx")
Rows = Generator[tuple[int, list[str]], None, None]
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class Column:
    """A documented column of an import file, with the other header names it may have."""

    name: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass
class Table:
    """The rows of a file as stripped text, each with its line number, and where each column sits.

    Every row has one extra empty cell at the end: columns the file lacks point there, so readers
    index rows without checking which optional columns exist.
    """

    index: dict[str, int]
    rows: list[tuple[int, list[str]]]
    width: int
    errors: list[RowError] = field(default_factory=list)

    def has(self, column: str) -> bool:
        """True when the file has this column."""
        return column in self.index

    def position(self, column: str) -> int:
        """Where a column sits in each row (the trailing empty cell when the file lacks it)."""
        return self.index.get(column, self.width)


def read_table(
    path: Path,
    columns: Sequence[Column],
    *,
    file_format: str | None = None,
    one_of: Sequence[tuple[str, ...]] = (),
) -> Table:
    """Read a CSV or XLSX file whose first row is a header naming documented columns."""
    _check_size(path)
    detected = detect_format(path, file_format)
    raw_rows = _read_xlsx(path) if detected == "xlsx" else _read_csv(path)
    # For the progress bar: a CSV's line count is cheap to know; a workbook's is not (0: count only).
    expected = _line_count(path) if detected == "csv" else 0
    try:
        return _table(path, raw_rows, columns, one_of, expected)
    finally:
        raw_rows.close()  # closes the workbook when the header is refused


def _line_count(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def _table(
    path: Path, raw_rows: Rows, columns: Sequence[Column], one_of: Sequence[tuple[str, ...]], expected: int = 0
) -> Table:
    try:
        _, header = next(raw_rows)
    except StopIteration:
        raise FileRejected(f"{path.name} is empty: the first row must name the columns") from None
    index = map_header(header, columns, one_of)
    width = len(header)
    rows: list[tuple[int, list[str]]] = []
    errors: list[RowError] = []
    for line, cells in raw_rows:
        if not len(rows) % 5000:
            progress.report("read", line, expected)
        size = len(cells)
        if size == width:
            cells.append("")
        elif size < width:
            cells.extend([""] * (width - size + 1))
        else:
            if any(cells[width:]):
                errors.append(RowError(line, "", f"the row has {size} cells but the header has {width}"))
            cells = [*cells[:width], ""]
        rows.append((line, cells))
    return Table(index=index, rows=rows, width=width, errors=errors)


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileRejected(f"cannot read {path}: {exc.strerror or exc}") from exc
    limit = int(settings.HAUMAI_MAX_IMPORT_BYTES)
    if size > limit:
        raise FileRejected(
            f"{path.name} is {size / 1024 / 1024:.1f} MB; files above {limit / 1024 / 1024:.0f} MB "
            "are refused (split the file or raise HAUMAI_MAX_IMPORT_MB)"
        )
    if size == 0:
        raise FileRejected(f"{path.name} is empty: the first row must name the columns")


def detect_format(path: Path, file_format: str | None = None) -> str:
    """Return 'csv' or 'xlsx' from the requested format, the content and the extension."""
    with path.open("rb") as handle:
        magic = handle.read(4)
    is_zip = magic == _ZIP_MAGIC
    if magic == _OLE_MAGIC:
        raise FileRejected(f"{path.name} is an old Excel 97-2003 (.xls) workbook; save it as .xlsx or CSV UTF-8")
    suffix = path.suffix.lower().lstrip(".")
    wanted = file_format or ("xlsx" if suffix in {"xlsx", "xlsm"} else "csv" if suffix in {"csv", "txt"} else "")
    if wanted and wanted not in FORMATS:
        raise FileRejected(f"unknown format '{wanted}' (use csv or xlsx)")
    if wanted == "xlsx" and not is_zip:
        raise FileRejected(f"{path.name} is not an Excel workbook (.xlsx): its content is not a spreadsheet")
    if wanted == "csv" and is_zip:
        raise FileRejected(f"{path.name} is a spreadsheet (.xlsx), not CSV text; use --format xlsx")
    return wanted or ("xlsx" if is_zip else "csv")


def map_header(
    header: Sequence[str], columns: Sequence[Column], one_of: Sequence[tuple[str, ...]] = ()
) -> dict[str, int]:
    """Map header cells to documented columns; reject unknown, repeated or missing columns."""
    lookup: dict[str, str] = {}
    for column in columns:
        for name in (column.name, *column.aliases):
            lookup[_header_key(name)] = column.name
    index: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for position, raw in enumerate(header):
        if not raw.strip():
            continue
        known = lookup.get(_header_key(raw))
        if known is None:
            unknown.append(raw.strip())
        elif known in index:
            repeated.append(raw.strip())
        else:
            index[known] = position
    missing = [c.name for c in columns if c.required and c.name not in index]
    missing += [" or ".join(group) for group in one_of if not any(n in index for n in group)]
    problems = []
    if missing:
        problems.append("missing column(s): " + ", ".join(missing))
    if unknown:
        problems.append("unknown column(s): " + ", ".join(unknown))
    if repeated:
        problems.append("repeated column(s): " + ", ".join(repeated))
    if problems:
        expected = ", ".join(c.name + ("*" if c.required else "") for c in columns)
        raise FileRejected(f"line 1 (header): {'; '.join(problems)}. Expected columns: {expected} (* required)")
    return index


def _header_key(raw: str) -> str:
    key = search_key(raw.replace("*", ""))
    for separator in "-./()":
        key = key.replace(separator, " ")
    return "_".join(key.split())


def _xlsx_text(value: object) -> str:
    """An Excel cell as the text a CSV export would hold (dates as ISO, whole floats without .0)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _read_csv(path: Path) -> Rows:
    data = path.read_bytes()
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileRejected(f"line {line}: {path.name} is not UTF-8 text; in Excel use 'Save as: CSV UTF-8'") from None
    first_line = content.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    return _csv_rows(reader, path.name)


def _csv_rows(reader: Any, name: str) -> Rows:
    previous_end = 0
    strip = str.strip
    try:
        for row in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            cells = list(map(strip, row))
            if any(cells):
                yield start, cells
    except csv.Error as exc:
        raise FileRejected(f"line {previous_end + 1}: {name} is not valid CSV ({exc})") from None


def _read_xlsx(path: Path) -> Rows:
    from openpyxl import load_workbook

    handle = path.open("rb")  # a file object: openpyxl refuses paths without an .xlsx extension
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign zip
        handle.close()
        raise FileRejected(f"{path.name} is not a valid Excel workbook (.xlsx): {exc}") from None
    return _xlsx_rows(workbook, handle)


def _xlsx_rows(workbook: object, handle: BinaryIO) -> Rows:
    try:
        sheet = workbook.worksheets[0]  # type: ignore[attr-defined]
        for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_xlsx_text(value) for value in row]
            if any(cells):
                yield line, cells
    finally:
        workbook.close()  # type: ignore[attr-defined]
        handle.close()
