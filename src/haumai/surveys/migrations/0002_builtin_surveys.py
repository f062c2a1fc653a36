"""Built-in surveys (editable data): CSAT after an order, a support request and a repair, CES after a
refunded return, a relationship NPS, and a custom delivery questionnaire."""

from __future__ import annotations

from typing import Any

from django.db import migrations

WHY_VI = "Điều gì khiến anh/chị chọn điểm này?"
WHY_EN = "What is the main reason for your score?"

BUILTIN: list[dict[str, Any]] = [
    {
        "key": "csat-order", "kind": "csat", "name": "Hài lòng sau mua hàng",
        "question_vi": "Anh/chị hài lòng thế nào với sản phẩm và việc giao hàng?",
        "question_en": "How satisfied are you with the product and the delivery?",
        "why_vi": WHY_VI, "why_en": WHY_EN,
    },
    {
        "key": "csat-support", "kind": "csat", "name": "Hài lòng với hỗ trợ khách hàng",
        "question_vi": "Anh/chị hài lòng thế nào với cách chúng tôi hỗ trợ lần này?",
        "question_en": "How satisfied are you with the help you received?",
        "why_vi": WHY_VI, "why_en": WHY_EN,
    },
    {
        "key": "csat-repair", "kind": "csat", "name": "Hài lòng với dịch vụ sửa chữa",
        "question_vi": "Anh/chị hài lòng thế nào với việc sửa chữa sản phẩm?",
        "question_en": "How satisfied are you with the repair?",
        "why_vi": WHY_VI, "why_en": WHY_EN,
    },
    {
        "key": "ces-return", "kind": "ces", "name": "Mức độ dễ dàng khi đổi trả",
        "question_vi": "Việc đổi trả và nhận tiền hoàn lần này dễ hay khó với anh/chị? (1 = rất dễ, 7 = rất khó)",
        "question_en": "How easy was it to return the item and get your refund? (1 = very easy, 7 = very difficult)",
        "why_vi": "Bước nào khiến anh/chị mất công nhất?", "why_en": "Which step took the most effort?",
    },
    {
        "key": "nps-relationship", "kind": "nps", "name": "Mức độ sẵn lòng giới thiệu (NPS)",
        "question_vi": "Anh/chị có sẵn lòng giới thiệu cửa hàng cho bạn bè, người thân không? (0 = không bao giờ, "
        "10 = chắc chắn)",
        "question_en": "How likely are you to recommend us to a friend or relative? (0 = not at all, 10 = extremely)",
        "why_vi": "Vì sao anh/chị chọn điểm này?", "why_en": "Why did you choose this score?",
        "valid_days": 30,
    },
    {
        "key": "delivery-experience", "kind": "custom", "name": "Trải nghiệm giao hàng",
        "questions": [
            {"kind": "single_choice", "text_vi": "Hàng có được giao đúng hẹn không?",
             "text_en": "Was your order delivered on time?",
             "choices": [{"value": "on_time", "vi": "Đúng hẹn", "en": "On time"},
                         {"value": "late", "vi": "Trễ 1-2 ngày", "en": "1-2 days late"},
                         {"value": "very_late", "vi": "Trễ hơn 2 ngày", "en": "More than 2 days late"}]},
            {"kind": "scale", "text_vi": "Anh/chị chấm điểm đóng gói thế nào?",
             "text_en": "How would you rate the packaging?", "scale_min": 1, "scale_max": 5},
            {"kind": "text", "text_vi": "Anh/chị muốn góp ý thêm điều gì?",
             "text_en": "Anything else you would like to tell us?", "required": False},
        ],
    },
]


def create_builtin(apps: Any, schema_editor: Any) -> None:
    Survey = apps.get_model("surveys", "Survey")
    Question = apps.get_model("surveys", "Question")
    for spec in BUILTIN:
        spec = dict(spec)
        questions = spec.pop("questions", [])
        if Survey.objects.filter(key=spec["key"]).exists():
            continue
        survey = Survey.objects.create(**spec)
        for position, question in enumerate(questions, start=1):
            Question.objects.create(survey=survey, position=position, **question)


def remove_builtin(apps: Any, schema_editor: Any) -> None:
    apps.get_model("surveys", "Survey").objects.filter(
        key__in=[s["key"] for s in BUILTIN], invitations__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]
    operations = [migrations.RunPython(create_builtin, remove_builtin)]
