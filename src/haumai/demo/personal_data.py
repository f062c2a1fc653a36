"""Personal-data demo rows (through the services, after the customers exist): consent wording versions and
grants with evidence, data-subject requests in every state, a breach incident and access-log entries."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model

from haumai.core import clock
from haumai.customers.consents import publish_consent_text
from haumai.customers.models import Customer
from haumai.customers.services import ConsentInput, update_customer
from haumai.privacy import audit, incidents, services
from haumai.privacy.models import AccessAction

PERSONAL_DATA_FROM = 1_000  # customers; the default demo (2,000) has these rows, small test runs do not
MARKETING_V1 = {
    "vi": "Tôi đồng ý nhận tin khuyến mãi, ưu đãi của Sao Việt qua Zalo, SMS và e-mail. "
    "Tôi có thể rút lại bất cứ lúc nào.",
    "en": "I agree to receive Sao Việt promotions by Zalo, SMS and e-mail. I can withdraw at any time.",
}
MARKETING_V2 = {
    "vi": "Tôi đồng ý nhận tin khuyến mãi và gợi ý sản phẩm dựa trên lịch sử mua hàng của tôi qua Zalo, SMS và "
    "e-mail. Tôi có thể rút lại bất cứ lúc nào tại mục Dữ liệu cá nhân của tôi.",
    "en": "I agree to receive promotions and product suggestions based on my purchases by Zalo, SMS and e-mail. "
    "I can withdraw at any time under My personal data.",
}
SERVICE_V1 = {"vi": "Tôi đồng ý nhận tin nhắn về đơn hàng, bảo hành và đổi trả của tôi.", "en": "Order messages."}


def _staff(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def seed_personal_data(*, seed: int) -> dict[str, int]:
    """A handful of rows on the newest customers (a second run adds nothing: requests exist)."""
    from haumai.privacy.models import DataRequest

    agent, manager, admin = _staff("agent"), _staff("manager"), _staff("admin")
    people = list(Customer.objects.order_by("-id")[:40])
    if len(people) < 20 or agent is None or manager is None or DataRequest.objects.exists():
        return {}
    rng = random.Random(seed * 13 + 5)
    now = clock.now()
    publish_consent_text(actor=admin, purpose="service", bodies=SERVICE_V1)
    publish_consent_text(actor=admin, purpose="marketing", bodies=MARKETING_V1)
    # Grants of version 1 with their evidence, then a new wording that needs re-consent; a few agree again.
    for index, customer in enumerate(people[:12]):
        channel = ("zalo", "email", "sms")[index % 3]
        update_customer(
            actor=None, customer=customer,
            consents=[ConsentInput(purpose="marketing", channel=channel, granted=True, source="portal",
                                   evidence_channel="portal", ip_address=f"203.0.113.{10 + index}",
                                   agent="Mozilla/5.0 (iPhone; CPU iPhone OS 18_1) Safari/604.1")],
        )  # fmt: skip
    publish_consent_text(actor=admin, purpose="marketing", bodies=MARKETING_V2)
    for customer in people[:4]:
        update_customer(
            actor=agent, customer=customer,
            consents=[ConsentInput(purpose="marketing", channel="zalo", granted=True, source="store",
                                   evidence_channel="in_store", agent="Phiếu đồng ý ký tại quầy, cửa hàng Bến Thành")],
        )  # fmt: skip
    requests = _requests(people[12:30], agent, manager, rng)
    incident = incidents.open_incident(
        actor=manager,
        title="Gửi nhầm tệp danh sách khách bảo hành cho đối tác vận chuyển",
        discovered_at=now - dt.timedelta(hours=20),
        occurred_at=now - dt.timedelta(hours=30),
        description="Nhân viên đính kèm nhầm tệp xuất danh sách khách (họ tên, số điện thoại) vào thư gửi đối tác. "
        "Đối tác xác nhận đã xóa tệp.",
        data_categories="họ tên, số điện thoại",
        affected_estimate=8,
    )
    incidents.add_affected(actor=manager, incident=incident, customer_codes=[c.code for c in people[30:38]])
    incidents.record_measures(
        actor=manager, incident=incident, contained=True,
        measures="Đối tác xóa tệp và xác nhận bằng văn bản; tắt gửi tệp đính kèm ra ngoài; nhắc lại quy trình.",
    )  # fmt: skip
    entries = 0
    for customer in people[:15]:
        audit.record_access(
            actor=agent, action=AccessAction.VIEW_CUSTOMER, customer=customer, target=customer.code,
            reason=rng.choice(["", "", "Khách gọi hỏi bảo hành", "Gọi lại theo yêu cầu đổi trả"]),
        )  # fmt: skip
        entries += 1
    return {"privacy.datarequest": requests, "privacy.incident": 1, "privacy.accesslog": entries}


def _requests(people: list[Customer], agent: Any, manager: Any, rng: random.Random) -> int:
    """Requests in every state: portal and console, verified later, processing, extended, rejected, done."""
    note = "Gọi lại số đã đăng ký, khớp đơn hàng"
    made = 0
    for index, customer in enumerate(people):
        kind = ("export", "correction", "withdraw_consent", "restriction", "objection", "deletion")[index % 6]
        details = {
            "correction": "Sai tên đường trong địa chỉ giao hàng",
            "restriction": "Chỉ dùng dữ liệu để bảo hành, không dùng cho tiếp thị",
            "objection": "Không muốn nhận cuộc gọi chăm sóc",
        }.get(kind, "")
        if index % 3 == 0:
            row = services.create_request(actor=None, customer=customer, kind=kind, origin="portal", details=details)
        elif index % 3 == 1:
            row = services.create_request(
                actor=agent, customer=customer, kind=kind, origin="console", details=details,
                verification_method="phone_callback", verification_note=note,
            )  # fmt: skip
        else:
            row = services.create_request(
                actor=agent, customer=customer, kind=kind, origin="console", details=details, verify_later=True
            )
            if index % 2:
                made += 1
                continue  # left waiting for the identity check
            row = services.verify_request(actor=manager, request=row, method="id_document", note="CCCD tại cửa hàng")
        made += 1
        step = rng.randrange(4)
        if kind == "withdraw_consent" and step:
            services.withdraw_consent(actor=manager, request=row)
        elif kind in ("correction", "restriction", "objection"):
            if step == 1:
                services.start_processing(actor=manager, request=row)
            elif step == 2:
                services.complete_request(
                    actor=manager, request=row, note="Đã cập nhật theo yêu cầu của khách",
                    restrict_purposes=["marketing", "profiling"] if kind == "restriction" else [],
                )  # fmt: skip
            elif step == 3:
                services.extend_request(actor=manager, request=row, reason="Cần xác minh với kho và đơn vị vận chuyển")
        elif kind == "deletion" and step == 1:
            services.reject_request(
                actor=manager, request=row, reason="Đơn bảo hành còn hiệu lực; dữ liệu cần giữ đến khi hết hạn"
            )
        elif kind == "export" and step:
            services.assign_request(actor=manager, request=row, owner=manager)
    return made
