"""Console pages and the REST API: permissions, PII masking, query counts, bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from haumai.messaging.models import Delivery, Template
from haumai.messaging.services import queue_message

CONTEXT = {"return": {"code": "RMA-2026-000001"}, "links": {"portal": "http://x/portal/"}}


def _login(make_staff: Any, role: str) -> Client:
    client = Client()
    client.force_login(make_staff(role))
    return client


def _deliveries(customer: Any, count: int = 3) -> list[Delivery]:
    return [
        queue_message(customer=customer, template_key="return.approved", channel="email", context=CONTEXT,
                      idempotency_key=f"d{i}")
        for i in range(count)
    ]


def test_template_pages(make_staff: Any, db: Any, django_assert_max_num_queries: Any) -> None:
    client = _login(make_staff, "agent")
    with django_assert_max_num_queries(8):
        page = client.get(reverse("messaging:templates"))
    assert page.status_code == 200 and "order.thank_you" in page.content.decode()
    template = Template.objects.get(key="refund.sent", channel="email", language="vi")
    detail = client.get(reverse("messaging:template_detail", args=[template.pk]))
    assert detail.status_code == 200
    assert "12.990.000 ₫" in detail.content.decode()  # preview with the sample context
    # Agents may look but not edit.
    assert client.get(reverse("messaging:template_edit", args=[template.pk])).status_code == 403
    assert client.post(reverse("messaging:template_edit", args=[template.pk]), {"body_text": "x"}).status_code == 403
    assert template.versions.count() == 1


def test_template_list_leads_with_the_name_and_finds_by_name_or_key(make_staff: Any, db: Any) -> None:
    """Issue 10: the list showed keys (order.thank_you) first; staff look templates up by what they say."""
    client = _login(make_staff, "agent")
    template = Template.objects.get(key="refund.sent", channel="email", language="vi")
    body = client.get(reverse("messaging:templates")).content.decode()
    link = reverse("messaging:template_detail", args=[template.pk])
    assert f'<a href="{link}" lang="vi">{template.name}</a>' in body
    word = template.name.split()[-1]
    found = client.get(reverse("messaging:templates"), {"q": word}).content.decode()
    assert link in found
    assert link in client.get(reverse("messaging:templates"), {"q": "refund.se"}).content.decode()
    assert link not in client.get(reverse("messaging:templates"), {"q": "zzz-nothing"}).content.decode()


def test_manager_edits_with_preview_and_errors_change_nothing(make_staff: Any, db: Any) -> None:
    client = _login(make_staff, "manager")
    template = Template.objects.get(key="refund.sent", channel="email", language="vi")
    url = reverse("messaging:template_edit", args=[template.pk])
    assert client.get(url).status_code == 200
    preview = client.post(reverse("messaging:template_preview"),
                          {"key": "refund.sent", "channel": "email", "subject": "Hoàn {{ refund.amount | vnd }}",
                           "body_text": "Mã {{ refund.code }}"})
    assert "Hoàn 12.990.000 ₫" in preview.content.decode() and "RF-2026-000067" in preview.content.decode()
    broken = client.post(reverse("messaging:template_preview"),
                         {"key": "refund.sent", "channel": "email", "subject": "S", "body_text": "{{ nope }}"})
    assert "unknown variable" in broken.content.decode()
    bad = client.post(url, {"subject": "S", "body_text": "{% if %}"})
    assert bad.status_code == 422 and "syntax error" in bad.content.decode()
    assert template.versions.count() == 1
    good = client.post(url, {"subject": "Đã hoàn tiền", "body_text": "Chào {{ customer.name }}", "note": "ngắn gọn"})
    assert good.status_code == 302
    template.refresh_from_db()
    assert template.current_version is not None and template.current_version.number == 2


def test_manager_creates_a_zns_template(make_staff: Any, db: Any) -> None:
    client = _login(make_staff, "manager")
    url = reverse("messaging:template_create")
    missing = client.post(url, {"key": "return.approved", "channel": "zns", "language": "vi", "body_text": "{}"})
    assert missing.status_code == 422 and not Template.objects.filter(channel="zns", key="return.approved").exists()
    created = client.post(url, {"key": "return.approved", "channel": "zns", "language": "vi", "name": "RMA ZNS",
                                "provider_template_id": "300001", "body_text": '{"rma": "{{ return.code }}"}'})
    assert created.status_code == 302
    assert Template.objects.get(channel="zns", key="return.approved").current_version.provider_template_id == "300001"  # type: ignore[union-attr]


def test_delivery_pages_mask_pii(make_staff: Any, customer: Any, django_assert_max_num_queries: Any) -> None:
    deliveries = _deliveries(customer, 30)
    warehouse = _login(make_staff, "warehouse")  # no messaging permission
    assert warehouse.get(reverse("messaging:deliveries")).status_code == 403
    agent = _login(make_staff, "agent")
    with django_assert_max_num_queries(8):
        page = agent.get(reverse("messaging:deliveries"), {"status": "queued", "customer": customer.code})
    assert page.status_code == 200 and "lan@example.vn" in page.content.decode()
    detail = agent.get(reverse("messaging:delivery_detail", args=[deliveries[0].pk]))
    assert "RMA-2026-000001" in detail.content.decode()
    assert agent.get(reverse("messaging:delivery_detail", args=[999999])).status_code == 404
    assert agent.get(reverse("messaging:deliveries"), {"status": "bogus", "page": "x"}).status_code == 200


def test_delivery_destination_masked_without_pii_permission(make_staff: Any, customer: Any) -> None:
    from django.contrib.auth.models import Permission

    _deliveries(customer, 1)
    user = make_staff("warehouse")
    user.user_permissions.add(Permission.objects.get(codename="view_delivery"))
    client = Client()
    client.force_login(user)
    page = client.get(reverse("messaging:deliveries")).content.decode()
    assert "lan@example.vn" not in page


@pytest.mark.parametrize("role", ["agent", "manager"])
def test_api_deliveries(api_client_for: Any, customer: Any, role: str, django_assert_max_num_queries: Any) -> None:
    _deliveries(customer, 5)
    client = api_client_for(role)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/messaging/deliveries", {"limit": 2, "channel": "email"})
    assert response.status_code == 200
    body = response.json()
    assert len(body["items"]) == 2 and body["next_offset"] == 2
    assert body["items"][0]["template_key"] == "return.approved" and body["items"][0]["template_version"] == 1
    bad = client.get("/api/v1/messaging/deliveries", {"status": "lost"})
    assert bad.status_code == 422 and "status" in bad.content.decode()
    assert client.get("/api/v1/messaging/deliveries", {"limit": 1000}).status_code == 422


def test_api_templates_and_permissions(api_client_for: Any, db: Any) -> None:
    response = api_client_for("agent").get("/api/v1/messaging/templates", {"channel": "email", "language": "en"})
    assert response.status_code == 200
    page = response.json()
    keys = {t["key"] for t in page["items"]}
    # 12 from messaging (survey.invitation included), warranty.started (warranty app), five repair notices
    # (repairs), appointment.booked and appointment.reminder (repairs.booking), three delivery notices (late,
    # failed, returned: shipping's delivery care) and four loyalty notices (points expiring, tier upgraded,
    # downgrade coming, tier downgraded)
    assert "return.rejected" in keys and len(keys) == 27 and page["next_offset"] is None
    # Paginated like every list: pages of `limit`, in key order, with no template twice or left out.
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        part = api_client_for("agent").get(
            "/api/v1/messaging/templates", {"channel": "email", "language": "en", "limit": 7, "offset": offset}
        ).json()
        assert len(part["items"]) <= 7
        seen += [t["key"] for t in part["items"]]
        offset = part["next_offset"]
    assert seen == sorted(keys)
    assert api_client_for("agent").get("/api/v1/messaging/templates", {"limit": 0}).status_code == 422
    assert api_client_for("warehouse").get("/api/v1/messaging/templates").status_code == 403


@pytest.mark.django_db
def test_every_built_in_template_passes_its_own_check() -> None:
    """A manager who opens a built-in template and saves it unchanged is not refused (the sample context
    of its key has every field and link the text uses)."""
    from haumai.messaging.models import Template
    from haumai.messaging.services import validate_version

    refused = {}
    for template in Template.objects.select_related("current_version").exclude(current_version=None):
        version = template.current_version
        problems = validate_version(
            key=template.key, channel=template.channel, subject=version.subject, body_text=version.body_text,
            body_html=version.body_html, provider_template_id=version.provider_template_id or "zns-sample",
        )  # fmt: skip
        if problems:
            refused[f"{template.key}/{template.channel}/{template.language}"] = problems[0].message
    assert refused == {}
