"""Demo segments (what a Vietnamese retailer's marketing team keeps), computed on the demo data."""

from __future__ import annotations

from typing import Any

from haumai.core.text import search_key
from haumai.segments import services
from haumai.segments.models import Segment

DEMO_SEGMENTS: tuple[tuple[str, str, str, dict[str, Any]], ...] = (
    ("khach-vip", "Khách VIP", "Từ 2 đơn và chi tiêu từ 30 triệu đồng", {"min_orders": 2, "min_spend": 30_000_000}),
    ("lau-chua-quay-lai", "Lâu chưa quay lại", "Đã mua nhưng 180 ngày nay không mua", {"not_bought_for_days": 180}),
    ("mua-may-loc-nuoc", "Mua máy lọc nước", "Đã mua máy lọc nước: nhắc thay lõi lọc", {"category": "may-loc-nuoc"}),
    ("khach-moi-30-ngay", "Khách mới 30 ngày", "Đơn đầu tiên trong 30 ngày qua",
     {"bought_within_days": 30, "max_orders": 1}),
    ("zalo-dong-y-uu-dai", "Nhận ưu đãi qua Zalo", "Đồng ý nhận tin tiếp thị, ưa dùng Zalo",
     {"marketing_consent": "yes", "preferred_channel": "zalo"}),
)


def seed_segments() -> dict[str, int]:
    """Create the demo segments (once), score RFM and materialize every segment."""
    for key, name, description, rules in DEMO_SEGMENTS:
        Segment.objects.get_or_create(
            key=key, defaults={"name": name, "search_key": search_key(name), "description": description, "rules": rules}
        )
    result = services.refresh_all()
    members = sum(result["segments"].values())
    return {"segments.segment": len(result["segments"]), "segments.customerrfm": result["customers_scored"],
            "segments.segmentmember": members}  # fmt: skip
