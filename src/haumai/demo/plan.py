"""What the pure generator needs to know about the database: ids of reference rows and id offsets.

The plan is plain data, so the generator can run (and be tested) without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

# Provinces where the demo retailer has stores get more customers; the rest follows population.
# (codename, rough population in millions after the 2025 merger)
PROVINCE_POPULATION: dict[str, float] = {
    "ho_chi_minh": 14.0, "ha_noi": 8.7, "hai_phong": 4.7, "can_tho": 4.2, "dong_nai": 4.5,
    "da_nang": 3.1, "thanh_hoa": 4.3, "nghe_an": 3.8, "bac_ninh": 3.6, "an_giang": 4.9,
    "dong_thap": 4.4, "vinh_long": 4.3, "tay_ninh": 3.3, "hung_yen": 3.6, "ninh_binh": 4.4,
    "phu_tho": 4.0, "gia_lai": 3.6, "dak_lak": 3.4, "lam_dong": 3.9, "khanh_hoa": 2.3,
    "quang_ngai": 2.2, "quang_ninh": 1.4, "thai_nguyen": 1.8, "ca_mau": 2.6, "ha_tinh": 1.6,
    "quang_tri": 1.9, "hue": 1.2, "tuyen_quang": 1.9, "lao_cai": 1.8, "son_la": 1.3,
    "lang_son": 0.8, "cao_bang": 0.6, "dien_bien": 0.6, "lai_chau": 0.5,
}
STORE_CITY_BOOST = 2.0


def region_of_province(code: int) -> str:
    """North, centre or south by province code (codes run north to south)."""
    if code <= 37:
        return "north"
    if code <= 68:
        return "central"
    return "south"


@dataclass(frozen=True)
class ProductRef:
    """A product as the generator sees it."""

    id: int
    sku: str
    brand: str
    department: str  # phone, laptop, appliance, fashion, cosmetics
    price: int
    is_serialized: bool
    popularity: float
    serial_prefix: str  # fixed width, unique per product
    product_number: int  # unique per product, < 1000 (goes into the IMEI)
    imei_prefix: str | None  # "35"/"86" for phones, None otherwise
    unit_number_offset: int = 0  # where this product's serial/IMEI numbering starts (< 10^7)


@dataclass(frozen=True)
class ProvinceRef:
    code: int
    codename: str
    region: str
    weight: float
    ward_ids: tuple[int, ...]


@dataclass(frozen=True)
class Plan:
    """Everything the generator needs; the same plan and seed always give the same rows."""

    seed: int
    customers: int
    months: int
    now: dt.datetime
    products: tuple[ProductRef, ...]
    channels: dict[str, int]  # channel code -> id
    stores: dict[str, int]  # region -> store id
    warehouses: dict[str, int]  # region or "hub" (the central warehouse) -> warehouse id
    provinces: tuple[ProvinceRef, ...]
    first_ids: dict[str, int]  # table name -> first free id
    unit_counters: dict[int, int] = field(default_factory=dict)  # product id -> serial numbers already used
    event_customers: int = 2_500  # customers at each end of the id range that get timeline events
    chunk_size: int = 10_000


# allocate(prefix, years) -> one code per entry of `years`, in order (e.g. via core.codes.next_codes)
CodeAllocator = Callable[[str, list[int]], list[str]]


def counting_allocator() -> CodeAllocator:
    """An in-memory allocator with the same format as haumai.core.codes (for pure tests)."""
    counters: dict[tuple[str, int], int] = {}

    def allocate(prefix: str, years: list[int]) -> list[str]:
        codes = []
        for year in years:
            value = counters.get((prefix, year), 0) + 1
            counters[(prefix, year)] = value
            codes.append(f"{prefix}-{year}-{value:06d}")
        return codes

    return allocate
