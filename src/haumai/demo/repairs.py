"""Demo repairs: service centres on the demo warehouses, a few spare parts in stock, and about a dozen
repair orders in every state across the centres, written through the repairs services (clock moved back
so the turnaround clocks read like real work). Idempotent: does nothing when repair orders exist."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model

from haumai.catalog.models import Product
from haumai.catalog.services import create_product
from haumai.core import clock
from haumai.core.errors import DomainError
from haumai.inventory.models import Warehouse
from haumai.inventory.services import move_stock
from haumai.repairs import services
from haumai.repairs.models import RepairOrder, ServiceCenter, ServiceCenterKind
from haumai.repairs.services import QuoteLineInput
from haumai.warranty import services as warranty_services
from haumai.warranty.models import Claim, ClaimOrigin, Warranty, WarrantyStatus

CENTERS = (
    (
        "ttbh-hcm",
        "Trung tâm bảo hành Sao Việt Quận 3",
        "217 Nam Kỳ Khởi Nghĩa, Phường Xuân Hòa, TP. Hồ Chí Minh",
        "TP. Hồ Chí Minh",
        48,
    ),
    ("ttbh-hn", "Trung tâm bảo hành Sao Việt Cầu Giấy", "112 Trần Duy Hưng, Phường Yên Hòa, Hà Nội", "Hà Nội", 72),
    ("ttbh-dn", "Trung tâm bảo hành Sao Việt Đà Nẵng", "45 Nguyễn Văn Linh, Phường Hải Châu, Đà Nẵng", "Đà Nẵng", 96),
)
BRAND_CENTER = (
    "samsung-plaza-hcm",
    "Samsung Service Plaza Hồ Chí Minh",
    "Tầng 2, 88 Đồng Khởi, Phường Sài Gòn",
    "TP. Hồ Chí Minh",
)
PARTS = (
    ("PART-LCD-6IN", "Màn hình điện thoại 6,1 inch (linh kiện)", 1_650_000, 6),
    ("PART-BAT-4500", "Pin điện thoại 4500 mAh (linh kiện)", 450_000, 6),
    ("PART-CHG-PORT", "Cụm cổng sạc USB-C (linh kiện)", 250_000, 3),
    ("PART-AC-CAP", "Tụ điện block điều hòa (linh kiện)", 380_000, 12),
)
DESCRIPTIONS: tuple[tuple[str, str, list[str]], ...] = (
    ("Máy không lên nguồn sau khi sạc qua đêm.", "Trầy nhẹ viền, màn hình nguyên vẹn", ["Sạc", "Cáp USB-C"]),
    ("Màn hình xuất hiện sọc xanh ở cạnh trái.", "Không móp méo", ["Hộp", "Sạc"]),
    ("Pin tụt nhanh, chỉ dùng được khoảng 3 tiếng.", "Mặt lưng trầy", []),
    ("Cổng sạc lỏng, lúc nhận lúc không.", "Còn mới", ["Cáp USB-C"]),
    ("Điều hòa chạy nhưng không mát, dàn nóng kêu to.", "Dàn lạnh bám bụi", ["Điều khiển"]),
)
# How far each demo order gets, with the part it uses (index in PARTS) and whether the customer pays.
STAGES = (
    "received",
    "diagnosing",
    "quoted",
    "approved",
    "waiting_parts",
    "repairing",
    "qc",
    "ready",
    "ready",
    "returned",
    "closed",
    "closed",
    "outsourced",  # sent to the brand's centre by our own staff (a shipping shipment)
    "goodwill",  # a paid quote with goodwill above the technician's limit: in the manager's queue
)


def _technician() -> Any:
    User = get_user_model()
    return User.objects.filter(groups__name="technician", is_active=True).order_by("id").first()


def _agent() -> Any:
    User = get_user_model()
    return User.objects.filter(groups__name="agent", is_active=True).order_by("id").first()


def _centers() -> list[ServiceCenter]:
    warehouses = list(Warehouse.objects.order_by("id")[: len(CENTERS)])
    centers = []
    for index, (code, name, address, province, target) in enumerate(CENTERS):
        center, _created = ServiceCenter.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "address": address,
                "province": province,
                "phone": f"+8419006{index:03d}",
                "turnaround_target_hours": target,
                "warehouse": warehouses[index] if index < len(warehouses) else None,
            },
        )
        centers.append(center)
    code, name, address, province = BRAND_CENTER
    from haumai.customers.models import Ward

    ward = Ward.objects.filter(name="Phường Sài Gòn").first() or Ward.objects.order_by("code").first()
    ServiceCenter.objects.get_or_create(
        code=code,
        defaults={"name": name, "address": address, "province": province, "kind": ServiceCenterKind.BRAND,
                  "ward": ward, "phone": "+84901888999"},
    )  # fmt: skip
    return centers


def _parts(centers: list[ServiceCenter]) -> list[Product]:
    parts = []
    for sku, name, price, months in PARTS:
        part = Product.objects.filter(sku=sku).first() or create_product(
            actor=None, sku=sku, name=name, price=price, warranty_months=months, is_returnable=False
        )
        parts.append(part)
        for warehouse in Warehouse.objects.order_by("id"):  # every warehouse keeps a few spare parts
            move_stock(
                actor=None,
                product=part,
                warehouse=warehouse,
                grade="new",
                quantity=4,
                reason="receipt",
                reference="demo-parts",
            )
    return parts


def _advance(order: RepairOrder, stage: str, tech: Any, agent: Any, part: Product, paid: bool) -> None:
    hours = dt.timedelta(hours=3)
    if stage == "received":
        return
    services.start_diagnosis(actor=tech, order=order)
    if stage == "diagnosing":
        return
    if stage == "outsourced":
        brand = ServiceCenter.objects.filter(kind=ServiceCenterKind.BRAND).first()
        services.outsource(actor=tech, order=order, center=brand, carrier="own_fleet")
        return
    clock.advance(hours)
    lines = [
        QuoteLineInput(kind="part", sku=part.sku, unit_cost=int(part.price * 0.7)),
        QuoteLineInput(kind="labour", description="Công kiểm tra và thay thế", unit_price=150_000, unit_cost=80_000),
    ]
    goodwill = (part.price // 2, "Khách quen, lỗi tái diễn sau lần sửa trước") if stage == "goodwill" else (0, "")
    order = services.send_quote(
        actor=tech, order=order, diagnosis="Đã xác định lỗi linh kiện, cần thay thế.", lines=lines,
        goodwill_vnd=goodwill[0] if paid else 0, goodwill_reason=goodwill[1] if paid else "",
    )  # fmt: skip
    if stage in ("quoted", "goodwill"):
        return
    if paid:
        order = services.decide_quote(actor=agent, order=order, approve=True, note="Khách đồng ý qua điện thoại")
    if stage == "approved":
        return
    services.start_repair(actor=tech, order=order)
    clock.advance(hours)
    if stage == "waiting_parts":
        services.wait_for_parts(actor=tech, order=order, note=f"Chờ {part.name}")
        return
    try:
        services.use_part(actor=tech, order=order, part=part)
    except services.PartsOutOfStock:
        return
    if stage == "repairing":
        return
    clock.advance(hours)
    services.finish_repair(actor=tech, order=order, note="Đã thay linh kiện, chạy thử 2 giờ ổn định")
    if stage == "qc":
        return
    services.pass_qc(actor=tech, order=order, note="Kiểm tra nguồn, sạc, màn hình: đạt")
    if stage == "ready":
        return
    clock.advance(dt.timedelta(days=1))
    services.hand_back(actor=agent, order=order)
    if stage == "closed":
        services.close(actor=agent, order=order)


def _seed_one(
    index: int,
    stage: str,
    warranty: Warranty,
    centers: list[ServiceCenter],
    parts: list[Product],
    tech: Any,
    agent: Any,
) -> int:
    """Seed one order; returns 0 (refused), 1 (paid repair) or 2 (warranty repair with its claim)."""
    covered = index % 3 != 1
    description, condition, accessories = DESCRIPTIONS[index % len(DESCRIPTIONS)]
    try:
        claim = None
        if covered:
            claim = warranty_services.file_claim(
                actor=None, warranty=warranty, description=description, origin=ClaimOrigin.CONSOLE, actor_label="demo"
            )
            claim = warranty_services.decide_claim(actor=None, claim=claim, accept=True, resolution="repair")
        order = services.receive_unit(
            actor=agent,
            unit=warranty.unit,
            customer=warranty.customer,
            service_center=centers[index % len(centers)],
            description=description,
            condition=condition,
            accessories=accessories,
            claim=claim,
            actor_label="demo",
        )
        _advance(order, stage, tech, agent, parts[index % len(parts)], paid=not covered)
    except DomainError:
        return 0
    return 2 if covered else 1


def seed_repairs(*, seed: int) -> dict[str, int]:
    """Centres, parts and a dozen repair orders in every state (skipped when repairs exist)."""
    if RepairOrder.objects.exists():
        return {}
    tech, agent = _technician(), _agent()
    if tech is None or agent is None:
        return {}
    rng = random.Random(seed * 13 + 5)
    centers = _centers()
    parts = _parts(centers)
    open_claims = Claim.objects.filter(status__in=("submitted", "accepted", "in_service")).values("warranty_id")
    candidates = list(
        Warranty.objects.filter(status=WarrantyStatus.ACTIVE, ends_on__gte=clock.today())
        .exclude(pk__in=open_claims)
        .select_related("unit", "customer")
        .order_by("-starts_on")[: len(STAGES) * 3]
    )
    made = claims = 0
    real_now = clock.now()
    chosen = rng.sample(candidates, min(len(STAGES), len(candidates)))
    for index, (stage, warranty) in enumerate(zip(STAGES, chosen, strict=False)):
        started = real_now - dt.timedelta(days=len(STAGES) - index, hours=rng.randint(0, 6))
        with clock.frozen(started):
            outcome = _seed_one(index, stage, warranty, centers, parts, tech, agent)
        made += outcome > 0
        claims += outcome == 2
    return {
        "repairs_repairorder": made,
        "repairs_warranty_claim": claims,
        "repairs_servicecenter": ServiceCenter.objects.count(),
    }
