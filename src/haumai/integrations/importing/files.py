"""Opening an import file: size limit, format detection, CSV/XLSX reading and header mapping."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from haumai.core.text import search_key
from haumai.integrations.importing.report import FileRejected, RowError
from haumai.integrations.importing.values import Cell

FORMATS = ("csv", "xlsx")
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
    """The rows of a file, each with its line number, and where each known column sits."""

    index: dict[str, int]
    rows: list[tuple[int, list[Cell]]]
    errors: list[RowError] = field(default_factory=list)

    def has(self, column: str) -> bool:
        """True when the file has this column."""
        return column in self.index


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
    try:
        _, header = next(raw_rows)
    except StopIteration:
        raise FileRejected(f"{path.name} is empty: the first row must name the columns") from None
    index = map_header([_cell_text(c) for c in header], columns, one_of)
    width = len(header)
    rows: list[tuple[int, list[Cell]]] = []
    errors: list[RowError] = []
    for line, cells in raw_rows:
        if len(cells) < width:
            cells = [*cells, *([""] * (width - len(cells)))]
        elif len(cells) > width:
            if any(_cell_text(c) for c in cells[width:]):
                errors.append(RowError(line, "", f"the row has {len(cells)} cells but the header has {width}"))
            cells = cells[:width]
        rows.append((line, cells))
    return Table(index=index, rows=rows, errors=errors)


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
    key = search_key(raw.replace("*", "")).replace("-", " ").replace(".", " ")
    return "_".join(key.split())


def _cell_text(value: Cell) -> str:
    return value.strip() if isinstance(value, str) else "" if value is None else str(value)


def _read_csv(path: Path) -> Iterator[tuple[int, list[Cell]]]:
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


def _csv_rows(reader: Iterable[list[str]], name: str) -> Iterator[tuple[int, list[Cell]]]:
    previous_end = 0
    iterator = iter(reader)
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileRejected(f"line {previous_end + 1}: {name} is not valid CSV ({exc})") from None
        start = previous_end + 1
        previous_end = getattr(reader, "line_num", start)
        cells: list[Cell] = [c.strip() for c in row]
        if any(cells):
            yield start, cells


def _read_xlsx(path: Path) -> Iterator[tuple[int, list[Cell]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign zip
        raise FileRejected(f"{path.name} is not a valid Excel workbook (.xlsx): {exc}") from None
    return _xlsx_rows(workbook)


def _xlsx_rows(workbook: object) -> Iterator[tuple[int, list[Cell]]]:
    try:
        sheet = workbook.worksheets[0]  # type: ignore[attr-defined]
        for row in sheet.iter_rows():
            cells: list[Cell] = []
            line = 0
            for cell in row:
                value = getattr(cell, "value", None)
                line = line or getattr(cell, "row", 0) or 0
                cells.append(value.strip() if isinstance(value, str) else value)
            if any(c not in (None, "") for c in cells):
                yield line, cells
    finally:
        workbook.close()  # type: ignore[attr-defined]
