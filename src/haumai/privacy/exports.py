"""Building a person's export: every registered app's tables as JSON and CSV in one ZIP on disk, plus
files (photos), with a manifest. Download links are signed and expire; the file is removed after
`HAUMAI_PRIVACY_EXPORT_KEEP_DAYS`."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import secrets
import zipfile
from typing import Any

from django.core import signing

from haumai.core import clock
from haumai.privacy import conf
from haumai.privacy.models import DataRequest
from haumai.privacy.registry import ExportPart, Person, sources

SIGNING_SALT = "haumai.privacy.export"


def collect(person: Person) -> dict[str, ExportPart]:
    """What every registered app holds on the person, by app label."""
    parts = {}
    for source in sources():
        if source.export is not None:
            parts[source.app] = source.export(person)
    return parts


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    columns: list[str] = []
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v for k, v in row.items()}
        )
    # A BOM so Excel opens Vietnamese text as UTF-8.
    return "\ufeff" + buffer.getvalue()


def write_zip(path: str, *, person: Person, request_code: str, parts: dict[str, ExportPart]) -> dict[str, int]:
    """Write the ZIP; return the row count per table."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for app, part in parts.items():
            for table, table_rows in part.tables.items():
                counts[table] = len(table_rows)
                archive.writestr(f"json/{table}.json", json.dumps(table_rows, ensure_ascii=False, indent=2))
                archive.writestr(f"csv/{table}.csv", _csv(table_rows))
            for name, source_path in part.files:
                archive.write(source_path, arcname=f"files/{name}")
                counts.setdefault(f"{app}.files", 0)
                counts[f"{app}.files"] += 1
        manifest = {
            "request": request_code,
            "customer": person.customer.code,
            "generated_at": clock.now().isoformat(),
            "generator": "Haumai",
            "tables": counts,
            "formats": ["json", "csv"],
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return counts


def new_file_name(request_code: str) -> str:
    """An unguessable file name (the folder is never served directly, but names leak into logs)."""
    return f"{request_code}-{secrets.token_hex(16)}.zip"


def file_path(name: str) -> str:
    """Where an export file lives."""
    return os.path.join(conf.export_dir(), os.path.basename(name))


def sha256_of(path: str) -> str:
    """Hex SHA-256 of a file (recorded in the audit trail)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download_token(request: DataRequest) -> str:
    """A signed token for the export of this request (checked with `check_download_token`)."""
    # Issued at our clock's time (not the signer's wall clock) so expiry follows core.clock.
    issued = int(clock.now().timestamp())
    return signing.dumps({"r": request.pk, "f": request.export_file, "t": issued}, salt=SIGNING_SALT, compress=True)


def check_download_token(token: str) -> tuple[int, str] | None:
    """(request id, file name) when the token is genuine and younger than the link lifetime, else None."""
    try:
        data = signing.loads(token, salt=SIGNING_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not all(
        isinstance(data.get(k), t) for k, t in (("r", int), ("f", str), ("t", int))
    ):
        return None
    age = clock.now() - dt.datetime.fromtimestamp(data["t"], tz=dt.UTC)
    if age > dt.timedelta(hours=conf.export_link_hours()) or age < -dt.timedelta(minutes=5):
        return None
    return data["r"], data["f"]


def remove_expired_exports() -> int:
    """Delete export files whose keep time has passed; return how many went."""
    now = clock.now()
    removed = 0
    for request in DataRequest.objects.filter(export_expires_at__lt=now).exclude(export_file="")[:500]:
        path = file_path(request.export_file)
        if os.path.exists(path):
            os.remove(path)
        request.export_file = ""
        request.save(update_fields=["export_file"])
        removed += 1
    return removed
