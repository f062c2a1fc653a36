"""Built-in journeys and templates of loyalty: points about to expire, a tier raised, a downgrade noticed
before the review and the downgrade itself (each a `loyalty.*` event of the loyalty scheduler or tiers),
with a link to the portal's rewards page (`links.rewards`, built at send time). The birthday journey's
description now says where its gift comes from. A journey or template that already exists is left alone."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from haumai.messaging.migrations._builtin_templates import _FOOTER_EN, _FOOTER_VI, _html

SERVICE_ORDER = ["zalo", "zns", "email", "sms"]
LINK = "{{ links.rewards or links.portal }}"

JOURNEYS: list[dict[str, Any]] = [
    {
        "key": "loyalty-points-expiring",
        "name": "Nhắc điểm thưởng sắp hết hạn",
        "description": "N days before points expire (HAUMAI_LOYALTY_EXPIRY_REMINDER_DAYS, 30): how many and "
        "from when, with the link to spend them.",
        "trigger_event": "loyalty.points_expiring",
        "template": "loyalty.points_expiring",
    },
    {
        "key": "loyalty-tier-upgraded",
        "name": "Chúc mừng lên hạng thành viên",
        "description": "At once when the spend reaches a higher tier: the new tier and its benefits.",
        "trigger_event": "loyalty.tier_upgraded",
        "template": "loyalty.tier_upgraded",
    },
    {
        "key": "loyalty-tier-downgrade-notice",
        "name": "Báo trước khi hạ hạng thành viên",
        "description": "N days before the review date (HAUMAI_LOYALTY_DOWNGRADE_NOTICE_DAYS, 30), when the "
        "spend would not hold the tier: the date and what is still needed.",
        "trigger_event": "loyalty.tier_downgrade_notice",
        "template": "loyalty.tier_downgrade_notice",
    },
    {
        "key": "loyalty-tier-downgraded",
        "name": "Thông báo hạng thành viên mới sau kỳ xét hạng",
        "description": "At the review date, when the tier went down: the new tier.",
        "trigger_event": "loyalty.tier_downgraded",
        "template": "loyalty.tier_downgraded",
    },
]

# key -> (name, vi subject, vi text, en subject, en text, short vi text for SMS/Zalo)
TEXTS: dict[str, tuple[str, str, str, str, str, str]] = {
    "loyalty.points_expiring": (
        "Điểm thưởng sắp hết hạn",
        "{{ payload.points }} điểm thưởng của anh/chị sắp hết hạn",
        "Chào anh/chị {{ customer.name }},\n\n{{ payload.points }} điểm thưởng của anh/chị sẽ hết hạn từ ngày "
        "{{ payload.expires_on }}. Anh/chị có thể dùng điểm khi mua hàng hoặc đổi lấy ưu đãi trước ngày này: " + LINK,
        "{{ payload.points }} of your points are about to expire",
        "Hello {{ customer.name }},\n\n{{ payload.points }} of your points expire from {{ payload.expires_on }}. "
        "Use them on a purchase or exchange them for a voucher before then: " + LINK,
        "{{ payload.points }} diem thuong se het han tu {{ payload.expires_on }}. Dung diem: " + LINK,
    ),
    "loyalty.tier_upgraded": (
        "Chúc mừng lên hạng thành viên",
        "Chúc mừng anh/chị đã lên hạng {{ payload.tier_vi }}",
        "Chào anh/chị {{ customer.name }},\n\nChúc mừng anh/chị đã lên hạng thành viên {{ payload.tier_vi }}. "
        "Từ hôm nay anh/chị tích điểm nhanh hơn và có thêm quyền lợi khi đổi trả và được hỗ trợ. "
        "Xem hạng và quyền lợi: " + LINK,
        "Congratulations: you are now a {{ payload.tier_en }} member",
        "Hello {{ customer.name }},\n\nCongratulations, you are now a {{ payload.tier_en }} member. From today you "
        "earn points faster and get more on returns and support. Your tier and benefits: " + LINK,
        "Chuc mung anh/chi da len hang {{ payload.tier_vi }}. Xem quyen loi: " + LINK,
    ),
    "loyalty.tier_downgrade_notice": (
        "Báo trước kỳ xét hạng thành viên",
        "Giữ hạng {{ payload.tier_vi }} trước ngày {{ payload.review_on }}",
        "Chào anh/chị {{ customer.name }},\n\nĐến kỳ xét hạng ngày {{ payload.review_on }}, hạng thành viên của "
        "anh/chị sẽ chuyển từ {{ payload.tier_vi }} xuống {{ payload.to_vi }}, trừ khi anh/chị mua thêm "
        "{{ payload.spend_needed | vnd }} trước ngày này. Xem chi tiêu và hạng: " + LINK,
        "Keep your {{ payload.tier_en }} tier before {{ payload.review_on }}",
        "Hello {{ customer.name }},\n\nAt the review on {{ payload.review_on }} your tier goes from "
        "{{ payload.tier_en }} to {{ payload.to_en }}, unless you spend {{ payload.spend_needed | vnd }} more before "
        "then. Your spend and tier: " + LINK,
        "Hang {{ payload.tier_vi }} se ha xuong {{ payload.to_vi }} ngay {{ payload.review_on }} neu chua mua them "
        "{{ payload.spend_needed | vnd }}. Xem: " + LINK,
    ),
    "loyalty.tier_downgraded": (
        "Hạng thành viên sau kỳ xét hạng",
        "Hạng thành viên mới của anh/chị: {{ payload.tier_vi }}",
        "Chào anh/chị {{ customer.name }},\n\nSau kỳ xét hạng, hạng thành viên của anh/chị là {{ payload.tier_vi }} "
        "(trước đây {{ payload.from_vi }}). Mua sắm thêm để lên hạng lại: " + LINK,
        "Your new membership tier: {{ payload.tier_en }}",
        "Hello {{ customer.name }},\n\nAfter the yearly review your tier is {{ payload.tier_en }} (it was "
        "{{ payload.from_en }}). Shop again to move back up: " + LINK,
        "Sau ky xet hang, hang thanh vien cua anh/chi la {{ payload.tier_vi }}. Xem: " + LINK,
    ),
}

BIRTHDAY_OLD = (
    "On the birthday: greeting. Add a 'Give a voucher' step with a loyalty campaign before the message and the "
    "greeting shows the code; without one it promises no offer."
)
BIRTHDAY_NEW = (
    "On the birthday: greeting with a code of the running birthday-gift campaign (loyalty → campaigns, purpose "
    "'Birthday gift'; one code per customer and year), or of a 'Give a voucher' step; without either it "
    "promises no offer."
)


def _rows() -> list[tuple[str, str, str, str, str, str]]:
    rows = []
    for key, (name, subject_vi, text_vi, subject_en, text_en, short_vi) in TEXTS.items():
        rows.append((key, "email", "vi", name, subject_vi, text_vi + _FOOTER_VI))
        rows.append((key, "email", "en", name, subject_en, text_en + _FOOTER_EN))
        rows.append((key, "sms", "vi", name, "", short_vi))
        rows.append((key, "zalo", "vi", name, "", text_vi.replace("\n\n", "\n")))
    return rows


def forwards(apps: Any, schema_editor: Any) -> None:
    Template = apps.get_model("messaging", "Template")
    TemplateVersion = apps.get_model("messaging", "TemplateVersion")
    for key, channel, language, name, subject, text in _rows():
        template, created = Template.objects.get_or_create(
            key=key, channel=channel, language=language, defaults={"name": name}
        )
        if not created:
            continue
        version = TemplateVersion.objects.create(
            template=template, number=1, subject=subject, body_text=text,
            body_html=_html(text) if channel == "email" else "", note="built-in",
        )  # fmt: skip
        template.current_version = version
        template.save(update_fields=["current_version"])
    Journey = apps.get_model("journeys", "Journey")
    JourneyStep = apps.get_model("journeys", "JourneyStep")
    for spec in JOURNEYS:
        if Journey.objects.filter(key=spec["key"]).exists():
            continue
        journey = Journey.objects.create(
            key=spec["key"], name=spec["name"], description=spec["description"], trigger_kind="event",
            trigger_event=spec["trigger_event"], channel_order=SERVICE_ORDER, allow_reentry=True,
        )  # fmt: skip
        JourneyStep.objects.create(journey=journey, position=1, kind="send", template_key=spec["template"])
    Journey.objects.filter(key="birthday-greeting", description=BIRTHDAY_OLD).update(description=BIRTHDAY_NEW)


def backwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("journeys", "Journey").objects.filter(key__in=[spec["key"] for spec in JOURNEYS]).delete()
    apps.get_model("messaging", "Template").objects.filter(
        key__in=list(TEXTS), versions__deliveries__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("loyalty", "0002_tier_notices_campaign_close_segment_issuance"),
        ("journeys", "0010_restricted_reason"),
        ("messaging", "0009_birthday_voucher_line"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
