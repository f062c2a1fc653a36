"""Reference data for the demo (idempotent): staff logins, channels, stores, warehouses, catalogue."""

from __future__ import annotations

import random
from dataclasses import dataclass

from haumai.accounts.services import create_staff_user
from haumai.catalog.models import Category, Product, Unit
from haumai.core.phone import normalize_phone
from haumai.core.text import search_key
from haumai.customers.models import Province, Ward
from haumai.demo.catalog_data import CATEGORIES, IMEI_BRAND, PRODUCTS, SERIAL_BRAND
from haumai.demo.parcels import parcel_fields
from haumai.demo.plan import PROVINCE_POPULATION, STORE_CITY_BOOST, ProductRef, ProvinceRef, region_of_province
from haumai.inventory.models import Warehouse
from haumai.sales.models import Channel, Store

DEMO_PASSWORD = "haumai-demo"  # noqa: S105 - published demo credential, printed for the user


@dataclass(frozen=True)
class StaffLogin:
    username: str
    role: str
    full_name: str


STAFF: list[StaffLogin] = [
    StaffLogin("admin", "admin", "Quản trị Hệ thống"),
    StaffLogin("agent", "agent", "Nguyễn Thị Mai Anh"),
    StaffLogin("technician", "technician", "Trần Văn Hùng"),
    StaffLogin("warehouse", "warehouse", "Lê Minh Tuấn"),
    StaffLogin("manager", "manager", "Phạm Thu Hà"),
]

# (code, name, kind)
CHANNELS: list[tuple[str, str, str]] = [
    ("store", "Cửa hàng", "store"),
    ("website", "Website", "website"),
    ("shopee", "Shopee", "marketplace"),
    ("lazada", "Lazada", "marketplace"),
    ("tiktok-shop", "TikTok Shop", "social"),
    ("phone", "Đặt hàng qua điện thoại", "phone"),
]


@dataclass(frozen=True)
class StoreSpec:
    code: str
    name: str
    province: str  # codename
    ward: str
    street: str
    phone: str
    region: str


STORES: list[StoreSpec] = [
    StoreSpec(
        "ch-ha-noi", "Sao Việt Hoàn Kiếm", "ha_noi", "Phường Hoàn Kiếm", "36 Tràng Tiền", "+842439351234", "north"
    ),
    StoreSpec(
        "ch-da-nang", "Sao Việt Hải Châu", "da_nang", "Phường Hải Châu", "255 Hùng Vương", "+842363821234", "central"
    ),
    StoreSpec(
        "ch-ho-chi-minh", "Sao Việt Bến Thành", "ho_chi_minh", "Phường Bến Thành", "92 Lê Lợi", "+842838221234", "south"
    ),
]
CENTRAL_WAREHOUSE = ("kho-tong", "Kho tổng Thuận An", "ho_chi_minh", "Phường Thuận An")
CENTRAL_WAREHOUSE_STREET, CENTRAL_WAREHOUSE_PHONE = "Số 8 Đại lộ Bình Dương", "02743 822 888"


def ensure_staff() -> list[StaffLogin]:
    """The admin (superuser) and one login per role, all with the demo password."""
    for login in STAFF:
        create_staff_user(
            username=login.username, password=DEMO_PASSWORD, role=login.role, full_name=login.full_name,
            email=f"{login.username}@saoviet.example", superuser=login.role == "admin",
        )
    return STAFF


def ensure_channels() -> dict[str, int]:
    """Sales channels by code -> id."""
    result = {}
    for code, name, kind in CHANNELS:
        channel, _ = Channel.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
        result[code] = channel.pk
    return result


def _ward(province: Province, name: str) -> Ward | None:
    return Ward.objects.filter(province=province, name=name).first()


def ensure_stores_and_warehouses() -> tuple[dict[str, int], dict[str, int]]:
    """Stores by region and warehouses by region (+ "hub", the central warehouse) -> ids."""
    stores: dict[str, int] = {}
    warehouses: dict[str, int] = {}
    for spec in STORES:
        province = Province.objects.get(codename=spec.province)
        store, _ = Store.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name, "province": province, "ward": _ward(province, spec.ward),
                "street": spec.street, "phone": normalize_phone(spec.phone),
            },
        )
        stores[spec.region] = store.pk
        warehouse, _ = Warehouse.objects.get_or_create(
            code=f"kho-{spec.code}", defaults={"name": f"Kho {spec.name}", "store": store, "province": province}
        )
        warehouses[spec.region] = warehouse.pk
    code, name, province_codename, ward_name = CENTRAL_WAREHOUSE
    province = Province.objects.get(codename=province_codename)
    central, _ = Warehouse.objects.get_or_create(
        code=code,
        defaults={
            "name": name, "province": province, "ward": _ward(province, ward_name),
            "street": CENTRAL_WAREHOUSE_STREET, "phone": normalize_phone(CENTRAL_WAREHOUSE_PHONE),
        },
    )
    warehouses["hub"] = central.pk
    return stores, warehouses


def ensure_catalog() -> tuple[list[ProductRef], list[int]]:
    """Categories and products; returns the generator's view of products and the ids created now."""
    categories: dict[str, Category] = {}
    for code, name, parent in CATEGORIES:
        categories[code], _ = Category.objects.get_or_create(
            code=code, defaults={"name": name, "parent": categories.get(parent)}
        )
    refs: list[ProductRef] = []
    created_ids: list[int] = []
    for number, spec in enumerate(PRODUCTS):
        product, created = Product.objects.get_or_create(
            sku=spec.sku,
            defaults={
                "name": spec.name, "search_key": search_key(spec.name), "brand": spec.brand,
                "category": categories[spec.category], "price": spec.price, "is_serialized": spec.is_serialized,
                "warranty_months": spec.warranty_months, "warranty_start": spec.warranty_start,
                "warranty_provider": spec.warranty_provider, "return_days": spec.return_days,
                "is_returnable": spec.is_returnable, **parcel_fields(spec.category),
            },
        )
        if created:
            created_ids.append(product.pk)
        refs.append(ProductRef(
            id=product.pk, sku=spec.sku, brand=spec.brand, department=spec.department, price=product.price,
            is_serialized=product.is_serialized, popularity=spec.popularity,
            serial_prefix=f"{SERIAL_BRAND.get(spec.brand, 'HM')}{number:03d}",
            product_number=number,
            imei_prefix=IMEI_BRAND.get(spec.brand) if spec.department == "phone" else None,
            unit_number_offset=random.Random(f"units:{spec.sku}").randrange(100_000, 5_000_000),
        ))
    return refs, created_ids


def unit_counters(products: list[ProductRef]) -> dict[int, int]:
    """Per product, how far earlier demo runs numbered its serials, so new serials start after them."""
    used: dict[int, int] = {}
    for product in products:
        last = (
            Unit.objects.filter(product_id=product.id, serial__startswith=product.serial_prefix)
            .order_by("-serial").values_list("serial", flat=True).first()
        )
        if last is None:
            continue
        try:
            number = int(last[len(product.serial_prefix):], 36)
        except ValueError:
            number = product.unit_number_offset + Unit.objects.filter(product_id=product.id).count() * 1000
        used[product.id] = max(0, number - product.unit_number_offset + 1)
    return used


def province_refs() -> list[ProvinceRef]:
    """Provinces with their wards and a customer weight (population, store cities boosted)."""
    wards: dict[int, list[int]] = {}
    for ward_id, province_id in Ward.objects.order_by("code").values_list("code", "province_id"):
        wards.setdefault(province_id, []).append(ward_id)
    store_cities = {spec.province for spec in STORES}
    refs = []
    for province in Province.objects.order_by("code"):
        weight = PROVINCE_POPULATION.get(province.codename, 1.0)
        if province.codename in store_cities:
            weight *= STORE_CITY_BOOST
        refs.append(ProvinceRef(
            code=province.code, codename=province.codename, region=region_of_province(province.code),
            weight=weight, ward_ids=tuple(wards.get(province.code, ())),
        ))
    return refs
