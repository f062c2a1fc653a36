"""The built-in care scripts: L-A-S-T (Listen, Apologize, Solve, Thank) for upset customers, and two everyday ones."""

import datetime as dt

from django.db import migrations

SCRIPTS = [
    {
        "key": "last",
        "name_vi": "L-A-S-T: khách hàng bức xúc (Lắng nghe, Xin lỗi, Giải quyết, Cảm ơn)",
        "name_en": "L-A-S-T: upset customer (Listen, Apologize, Solve, Thank)",
        "body_vi": (
            "Dạ em chào anh/chị {{customer.name}}, em là {{agent.name}}.\n"
            "Em đã đọc kỹ phản ánh của anh/chị về yêu cầu {{ticket.code}} và rất hiểu sự bất tiện anh/chị đang gặp.\n"
            "Em thành thật xin lỗi anh/chị vì trải nghiệm chưa tốt này.\n"
            "Để giải quyết ngay, em sẽ: [ghi rõ cách xử lý và thời hạn].\n"
            "Cảm ơn anh/chị đã kiên nhẫn và báo cho bên em biết để bên em làm tốt hơn."
        ),
        "body_en": (
            "Hello {{customer.name}}, this is {{agent.name}}.\n"
            "I have read what you told us about {{ticket.code}} carefully and I understand how frustrating this is.\n"
            "I am sincerely sorry for this experience.\n"
            "To put it right, I will: [say what you will do and by when].\n"
            "Thank you for your patience and for telling us, it helps us do better."
        ),
        "set_status": "",
        "set_priority": "high",
        "add_tags": ["L-A-S-T"],
    },
    {
        "key": "ask-serial",
        "name_vi": "Xin số serial và ảnh hóa đơn",
        "name_en": "Ask for the serial number and receipt",
        "body_vi": (
            "Dạ anh/chị {{customer.name}} vui lòng gửi giúp em số serial (in trên tem sau máy) và ảnh hóa đơn mua hàng "
            "để em kiểm tra bảo hành cho yêu cầu {{ticket.code}} ạ."
        ),
        "body_en": (
            "Could you please send the serial number (on the label at the back) and a photo of your receipt, "
            "so I can check the warranty for {{ticket.code}}?"
        ),
        "set_status": "pending",
        "set_priority": "",
        "add_tags": [],
    },
    {
        "key": "solved-thanks",
        "name_vi": "Đã xử lý xong, cảm ơn khách",
        "name_en": "Solved, thank the customer",
        "body_vi": (
            "Dạ yêu cầu {{ticket.code}} của anh/chị {{customer.name}} đã được xử lý xong. "
            "Nếu còn điều gì chưa hài lòng, anh/chị cứ trả lời tin nhắn này, em luôn sẵn sàng hỗ trợ ạ."
        ),
        "body_en": (
            "Your request {{ticket.code}} is solved. If anything is still not right, just reply to this message "
            "and I will help."
        ),
        "set_status": "solved",
        "set_priority": "",
        "add_tags": [],
    },
]


def add_scripts(apps, schema_editor):
    Macro = apps.get_model("support", "Macro")
    for script in SCRIPTS:
        Macro.objects.update_or_create(
            key=script["key"], defaults={**script, "built_in": True, "created_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}
        )


def remove_scripts(apps, schema_editor):
    apps.get_model("support", "Macro").objects.filter(built_in=True).delete()


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]
    operations = [migrations.RunPython(add_scripts, remove_scripts)]
