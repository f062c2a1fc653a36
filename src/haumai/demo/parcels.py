"""Boxed weight and size of the demo products by category (what a carrier weighs and measures):
grams, length, width, height in cm. Figures from Vietnamese retailers' product pages for the
typical item of each category (a 335 L two-door fridge is about 70 kg and 180 cm tall)."""

from __future__ import annotations

PARCEL_BY_CATEGORY: dict[str, tuple[int, int, int, int]] = {
    "dien-thoai": (450, 20, 12, 8),
    "laptop": (2_300, 45, 32, 8),
    "tu-lanh": (72_000, 70, 68, 180),
    "may-giat": (68_000, 65, 65, 90),
    "dieu-hoa": (38_000, 95, 38, 65),
    "noi-com-dien": (3_500, 35, 35, 30),
    "thoi-trang-nam": (400, 35, 25, 5),
    "thoi-trang-nu": (350, 35, 25, 5),
    "giay-dep": (1_100, 35, 22, 13),
    "cham-soc-da": (250, 15, 10, 8),
    "trang-diem": (150, 12, 8, 5),
    "may-loc-nuoc": (16_000, 45, 30, 50),
    "phu-kien-dien-thoai": (200, 18, 10, 4),
    "phu-kien-laptop": (600, 30, 20, 8),
    "loi-loc-nuoc": (900, 35, 15, 10),
}


def parcel_fields(category: str) -> dict[str, int]:
    """The product fields for a demo product of this category (zeros when unknown)."""
    grams, length, width, height = PARCEL_BY_CATEGORY.get(category, (0, 0, 0, 0))
    return {"weight_grams": grams, "length_cm": length, "width_cm": width, "height_cm": height}
