"""Customers import: upsert by external_id, then by phone; blanks never erase stored values."""

from __future__ import annotations

from typing import Any

from haumai.customers import bulk as customers_bulk
from haumai.customers.models import Gender
from haumai.integrations.importing import values
from haumai.integrations.importing.files import Column, Table
from haumai.integrations.importing.report import ImportResult, RowError

COLUMNS = (
    Column("external_id", False, ("ma_khach_hang", "ma_kh", "customer_id")),
    Column("full_name", True, ("ho_ten", "ho_va_ten", "ten_khach_hang", "ten", "name")),
    Column("phone", False, ("so_dien_thoai", "sdt", "dien_thoai")),
    Column("email", False, ("thu_dien_tu",)),
    Column("birth_date", False, ("ngay_sinh",)),
    Column("gender", False, ("gioi_tinh",)),
    Column("province", False, ("tinh", "tinh_thanh", "tinh_thanh_pho", "tinh_tp")),
    Column("ward", False, ("phuong_xa", "xa_phuong", "phuong")),
    Column("street", False, ("dia_chi", "so_nha_duong", "address")),
    Column("marketing_consent", False, ("dong_y_tiep_thi", "dong_y_nhan_tin", "consent")),
)
ONE_OF = (("phone", "external_id"),)

GENDERS = {
    "female": Gender.FEMALE,
    "f": Gender.FEMALE,
    "nu": Gender.FEMALE,
    "male": Gender.MALE,
    "m": Gender.MALE,
    "nam": Gender.MALE,
    "other": Gender.OTHER,
    "khac": Gender.OTHER,
    "unknown": Gender.UNKNOWN,
    "khong_ro": Gender.UNKNOWN,
}


class CustomersImport:
    """Validate the rows of a customers file, then (optionally) upsert the valid customers."""

    def __init__(self, table: Table, result: ImportResult) -> None:
        self.table = table
        self.result = result
        self.errors: list[RowError] = list(table.errors)
        self.bad_lines: set[int] = {e.line for e in self.errors}
        self.records: list[tuple[int, customers_bulk.CustomerRecord]] = []

    def error(self, line: int, column: str, message: str) -> None:
        """Report one problem; the line will not be imported."""
        self.errors.append(RowError(line, column, message))
        self.bad_lines.add(line)

    def validate(self) -> None:
        """Read every row, resolve provinces, wards and stored customers, and check the rules."""
        provinces = customers_bulk.province_lookup()
        parsed = [(line, self._read(line, cells, provinces)) for line, cells in self.table.rows]
        wards = customers_bulk.ward_lookup({p[1] for _, p in parsed if p is not None and p[1]})
        seen_external: dict[str, int] = {}
        seen_phone: dict[str, int] = {}
        for line, item in parsed:
            if item is None or line in self.bad_lines:
                continue
            record, province_id, ward, street = item
            if province_id:
                ward_id = None
                if ward:
                    ward_id = wards.get((province_id, customers_bulk.normalize_place(ward)))
                    if ward_id is None:
                        self.error(line, "ward", f"unknown ward '{ward}' in this province")
                        continue
                record.address = customers_bulk.AddressRecord(province_id, ward_id, street)
            if self._duplicate(line, record, seen_external, seen_phone):
                continue
            self.records.append((line, record))
        self._match_stored()
        self.result.created = sum(1 for _, r in self.records if r.customer_id is None)
        self.result.extra["existing"] = len(self.records) - self.result.created
        valid = {line for line, _ in self.records}
        self.result.rows_total = len(self.table.rows)
        self.result.rows_valid = len(valid)
        self.result.rows_invalid = self.result.rows_total - len(valid)
        self.errors.sort(key=lambda e: e.line)
        self.result.errors = self.errors

    def _read(
        self, line: int, cells: list[Any], provinces: dict[str, int]
    ) -> tuple[customers_bulk.CustomerRecord, int | None, str, str] | None:
        index = self.table.index

        def cell(name: str) -> Any:
            return cells[index[name]] if name in index else ""

        errors_before = len(self.errors)
        record = customers_bulk.CustomerRecord(full_name=values.text(cell("full_name")))
        if not record.full_name:
            self.error(line, "full_name", "is required")
        record.external_id = values.text(cell("external_id")) or None
        readers = {
            "phone": values.phone,
            "email": values.email,
            "birth_date": values.date,
            "gender": lambda v: values.choice(v, GENDERS, "gender"),
            "marketing_consent": values.yes_no,
        }
        for name, reader in readers.items():
            raw = cell(name)
            if values.text(raw) == "":
                continue
            try:
                setattr(record, name, reader(raw))
            except values.CellError as exc:
                self.error(line, name, str(exc))
        if (
            not record.phone
            and not record.external_id
            and "phone" not in [e.column for e in self.errors[errors_before:]]
        ):
            self.error(line, "phone", "a customer needs a phone or an external_id")
        if record.birth_date and record.birth_date.year < 1900:
            self.error(line, "birth_date", f"{record.birth_date:%d/%m/%Y} is too far in the past")
        province_raw, ward, street = (values.text(cell(n)) for n in ("province", "ward", "street"))
        limits = (
            ("full_name", record.full_name, 160),
            ("external_id", record.external_id, 80),
            ("street", street, 255),
        )
        for column, value, limit in limits:
            if value and len(value) > limit:
                self.error(line, column, f"is longer than {limit} characters")
        province_id = None
        if province_raw:
            province_id = provinces.get(customers_bulk.normalize_place(province_raw))
            if province_id is None:
                self.error(line, "province", f"unknown province '{province_raw}' (use the 2025 name or code)")
        elif ward or street:
            self.error(line, "province", "is required when ward or street is given")
        return (record, province_id, ward, street) if len(self.errors) == errors_before else None

    def _duplicate(
        self,
        line: int,
        record: customers_bulk.CustomerRecord,
        seen_external: dict[str, int],
        seen_phone: dict[str, int],
    ) -> bool:
        if record.external_id and record.external_id in seen_external:
            self.error(line, "external_id", f"duplicate of line {seen_external[record.external_id]}")
            return True
        if record.phone and record.phone in seen_phone:
            self.error(line, "phone", f"{record.phone} is already on line {seen_phone[record.phone]}")
            return True
        if record.external_id:
            seen_external[record.external_id] = line
        if record.phone:
            seen_phone[record.phone] = line
        return False

    def _match_stored(self) -> None:
        by_external, by_phone = customers_bulk.find_customers(
            external_ids={r.external_id for _, r in self.records if r.external_id},
            phones={r.phone for _, r in self.records if r.phone},
        )
        kept: list[tuple[int, customers_bulk.CustomerRecord]] = []
        for line, record in self.records:
            stored = by_external.get(record.external_id) if record.external_id else None
            phone_owner = by_phone.get(record.phone) if record.phone else None
            if stored is not None:
                if phone_owner is not None and phone_owner.id != stored.id:
                    self.error(
                        line,
                        "phone",
                        f"conflict: {record.phone} belongs to customer {phone_owner.code}, "
                        f"not to {stored.code} (external id {record.external_id})",
                    )
                    continue
            elif phone_owner is not None:
                if record.external_id and phone_owner.external_id and phone_owner.external_id != record.external_id:
                    self.error(
                        line,
                        "external_id",
                        f"conflict: {record.phone} belongs to customer {phone_owner.code} "
                        f"with external id {phone_owner.external_id}",
                    )
                    continue
                stored = phone_owner
            record.customer_id = stored.id if stored is not None else None
            kept.append((line, record))
        self.records = kept

    def write(self) -> None:
        """Upsert the valid customers."""
        counts = customers_bulk.upsert_customers(records=[r for _, r in self.records], source="import")
        self.result.created, self.result.updated, self.result.unchanged = (
            counts.created,
            counts.updated,
            counts.unchanged,
        )
        self.result.extra.pop("existing", None)
        self.result.rows_imported = len(self.records)
