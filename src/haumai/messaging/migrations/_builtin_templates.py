"""Texts of the built-in templates (loaded by migration 0002; the leading underscore keeps Django's
migration loader from treating this module as a migration). Keys and variables: see messaging/samples.py."""

from __future__ import annotations

# (key, channel, language, name, subject, text, html)
_FOOTER_VI = (
    "\n\nTrân trọng,\nĐội ngũ Chăm sóc khách hàng\n"
    "Không muốn nhận thư này nữa? Hủy đăng ký: {{ links.unsubscribe }}"
)
_FOOTER_EN = "\n\nKind regards,\nCustomer Care team\nDon't want these e-mails? Unsubscribe: {{ links.unsubscribe }}"


def _html(text: str) -> str:
    """A simple HTML part from the text part (links become anchors)."""
    paragraphs = []
    for block in text.split("\n\n"):
        lines = []
        for line in block.split("\n"):
            if "{{ links." in line:
                start = line.index("{{ links.")
                end = line.index("}}", start) + 2
                expression = line[start:end]
                line = f'{line[:start]}<a href="{expression}">{expression}</a>{line[end:]}'
            lines.append(line)
        paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
    return '<div style="font-family:Arial,sans-serif;font-size:14px;line-height:1.5">' + "".join(paragraphs) + "</div>"


EMAIL_VI = {
    "order.thank_you": (
        "Cảm ơn anh/chị đã mua hàng",
        "Cảm ơn anh/chị đã mua hàng – đơn {{ order.code }}",
        "Chào anh/chị {{ customer.name }},\n\n"
        "Cảm ơn anh/chị đã mua hàng. Đơn hàng {{ order.code }} trị giá {{ order.total | vnd }} đã được giao thành công."
        "\n\nSản phẩm:\n{% for line in order.lines %}- {{ line.product }} x {{ line.quantity }}\n{% endfor %}\n"
        "Hướng dẫn sử dụng, thông tin bảo hành và yêu cầu đổi trả: {{ links.portal }}",
    ),
    "survey.satisfaction": (
        "Khảo sát mức độ hài lòng",
        "Anh/chị có hài lòng với đơn {{ order.code }}?",
        "Chào anh/chị {{ customer.name }},\n\n"
        "Chúng tôi rất mong nhận được đánh giá của anh/chị về sản phẩm và dịch vụ cho đơn {{ order.code }}. "
        "Chỉ mất 1 phút: {{ links.survey }}\n\nMọi góp ý giúp chúng tôi phục vụ anh/chị tốt hơn.",
    ),
    "warranty.expiring": (
        "Sắp hết hạn bảo hành",
        "Bảo hành {{ unit.product }} sắp hết hạn",
        "Chào anh/chị {{ customer.name }},\n\n"
        "Thời hạn bảo hành của {{ unit.product }} (số serial {{ unit.serial }}) sẽ kết thúc vào ngày "
        "{{ unit.warranty_expires | date }}. Nếu sản phẩm có dấu hiệu bất thường, anh/chị hãy gửi yêu cầu bảo hành "
        "trước ngày này: {{ links.portal }}",
    ),
    "maintenance.due": (
        "Đến hạn bảo trì định kỳ",
        "Đã đến lúc bảo trì {{ unit.product }}",
        "Chào anh/chị {{ customer.name }},\n\n"
        "{{ unit.product }} (số serial {{ unit.serial }}) đã đến kỳ bảo trì, bảo dưỡng định kỳ để hoạt động bền bỉ. "
        "Anh/chị có thể đặt lịch tại: {{ payload.link or links.portal }}",
    ),
    "appointment.booked": (
        "Xác nhận lịch hẹn",
        "Lịch hẹn {{ payload.code }} lúc {{ payload.when }}",
        "Chào anh/chị {{ customer.name }},\n\n"
        "Anh/chị đã đặt lịch hẹn {{ payload.code }} lúc {{ payload.when }} tại {{ payload.center }} "
        "({{ payload.address }}). Xem hoặc hủy lịch hẹn: {{ payload.link or links.portal }}",
    ),
    "appointment.reminder": (
        "Nhắc lịch hẹn",
        "Nhắc lịch hẹn ngày mai lúc {{ payload.when }}",
        "Chào anh/chị {{ customer.name }},\n\n"
        "Nhắc anh/chị lịch hẹn {{ payload.code }} lúc {{ payload.when }} tại {{ payload.center }} "
        "({{ payload.address }}). Nếu không đến được, anh/chị vui lòng hủy hoặc đổi lịch: "
        "{{ payload.link or links.portal }}",
    ),
    "birthday.greeting": (
        "Chúc mừng sinh nhật",
        "Chúc mừng sinh nhật anh/chị {{ customer.first_name }}!",
        "Chào anh/chị {{ customer.name }},\n\n"
        "Nhân dịp sinh nhật, chúng tôi xin gửi lời chúc sức khỏe, hạnh phúc và thành công. "
        "Cảm ơn anh/chị đã luôn đồng hành cùng chúng tôi.",
    ),
    "shipment.delayed": (
        "Đơn vận chuyển bị chậm",
        "Kiện hàng {{ shipment.code }} đang bị chậm",
        "Chào anh/chị {{ customer.name }},\n\n"
        "Kiện hàng {{ shipment.code }} (đơn vị vận chuyển {{ shipment.carrier }}, mã vận đơn {{ shipment.tracking }}) "
        "đang chậm hơn dự kiến. Chúng tôi đang làm việc với đơn vị vận chuyển và sẽ cập nhật ngay cho anh/chị. "
        "Xin lỗi anh/chị vì sự bất tiện này.",
    ),
    "return.approved": (
        "Yêu cầu đổi trả được duyệt",
        "Yêu cầu đổi trả {{ return.code }} đã được duyệt",
        "Chào anh/chị {{ customer.name }},\n\n"
        "Yêu cầu đổi trả {{ return.code }} đã được duyệt. Anh/chị vui lòng đóng gói sản phẩm kèm phụ kiện; "
        "hướng dẫn gửi hàng và mã QR xem tại: {{ links.portal }}",
    ),
    "return.picked_up": (
        "Đã lấy hàng đổi trả",
        "Đã lấy hàng cho yêu cầu {{ return.code }}",
        "Chào anh/chị {{ customer.name }},\n\n"
        "Đơn vị vận chuyển {{ shipment.carrier }} đã lấy hàng cho yêu cầu đổi trả {{ return.code }} "
        "(mã vận đơn {{ shipment.tracking }}). Chúng tôi sẽ báo khi kho nhận được hàng.",
    ),
    "return.received": (
        "Kho đã nhận hàng đổi trả",
        "Chúng tôi đã nhận hàng của yêu cầu {{ return.code }}",
        "Chào anh/chị {{ customer.name }},\n\n"
        "Kho đã nhận được sản phẩm của yêu cầu đổi trả {{ return.code }}. Sản phẩm đang được kiểm tra; "
        "chúng tôi sẽ thông báo kết quả trong thời gian sớm nhất.",
    ),
    "refund.sent": (
        "Đã hoàn tiền",
        "Đã hoàn {{ refund.amount | vnd }} cho anh/chị",
        "Chào anh/chị {{ customer.name }},\n\n"
        "Chúng tôi đã hoàn {{ refund.amount | vnd }} (mã hoàn tiền {{ refund.code }}). "
        "Thời gian tiền về tài khoản tùy theo ngân hàng hoặc ví điện tử, thường từ 1 đến 7 ngày làm việc.",
    ),
    "return.rejected": (
        "Yêu cầu đổi trả không được chấp nhận",
        "Yêu cầu đổi trả {{ return.code }} chưa được chấp nhận",
        "Chào anh/chị {{ customer.name }},\n\n"
        "Rất tiếc, yêu cầu đổi trả {{ return.code }} chưa đáp ứng điều kiện đổi trả. "
        "Chi tiết lý do và cách liên hệ bộ phận chăm sóc khách hàng: {{ links.portal }}",
    ),
}

EMAIL_EN = {
    "order.thank_you": (
        "Thank you for your order",
        "Thank you for your order {{ order.code }}",
        "Hello {{ customer.name }},\n\n"
        "Thank you for shopping with us. Order {{ order.code }} ({{ order.total | vnd }}) has been delivered."
        "\n\nItems:\n{% for line in order.lines %}- {{ line.product }} x {{ line.quantity }}\n{% endfor %}\n"
        "User guides, warranty and returns: {{ links.portal }}",
    ),
    "survey.satisfaction": (
        "Satisfaction survey",
        "How was your order {{ order.code }}?",
        "Hello {{ customer.name }},\n\nPlease tell us how we did with order {{ order.code }}. "
        "It takes one minute: {{ links.survey }}",
    ),
    "warranty.expiring": (
        "Warranty expiring",
        "The warranty of your {{ unit.product }} ends soon",
        "Hello {{ customer.name }},\n\nThe warranty of {{ unit.product }} (serial {{ unit.serial }}) ends on "
        "{{ unit.warranty_expires | date }}. If anything is wrong with it, file a warranty request before then: "
        "{{ links.portal }}",
    ),
    "maintenance.due": (
        "Maintenance due",
        "Time to service your {{ unit.product }}",
        "Hello {{ customer.name }},\n\nYour {{ unit.product }} (serial {{ unit.serial }}) is due for its regular "
        "maintenance. Book a visit: {{ payload.link or links.portal }}",
    ),
    "appointment.booked": (
        "Appointment confirmed",
        "Appointment {{ payload.code }} at {{ payload.when }}",
        "Hello {{ customer.name }},\n\nYou booked appointment {{ payload.code }} at {{ payload.when }} at "
        "{{ payload.center }} ({{ payload.address }}). See or cancel it: {{ payload.link or links.portal }}",
    ),
    "appointment.reminder": (
        "Appointment reminder",
        "Reminder: your appointment tomorrow at {{ payload.when }}",
        "Hello {{ customer.name }},\n\nA reminder of appointment {{ payload.code }} at {{ payload.when }} at "
        "{{ payload.center }} ({{ payload.address }}). Cannot come? Cancel or move it: "
        "{{ payload.link or links.portal }}",
    ),
    "birthday.greeting": (
        "Birthday greeting",
        "Happy birthday, {{ customer.first_name }}!",
        "Hello {{ customer.name }},\n\nHappy birthday! Thank you for being with us.",
    ),
    "shipment.delayed": (
        "Shipment delayed",
        "Your parcel {{ shipment.code }} is delayed",
        "Hello {{ customer.name }},\n\nParcel {{ shipment.code }} ({{ shipment.carrier }}, tracking "
        "{{ shipment.tracking }}) is late. We are following up with the carrier and will keep you posted. "
        "We are sorry for the inconvenience.",
    ),
    "return.approved": (
        "Return approved",
        "Your return {{ return.code }} is approved",
        "Hello {{ customer.name }},\n\nYour return {{ return.code }} is approved. Please pack the item with its "
        "accessories; shipping instructions and your QR code: {{ links.portal }}",
    ),
    "return.picked_up": (
        "Return picked up",
        "Return {{ return.code }} picked up",
        "Hello {{ customer.name }},\n\n{{ shipment.carrier }} picked up your return {{ return.code }} (tracking "
        "{{ shipment.tracking }}). We will tell you when it reaches our warehouse.",
    ),
    "return.received": (
        "Return received",
        "We received your return {{ return.code }}",
        "Hello {{ customer.name }},\n\nOur warehouse received the item of return {{ return.code }}. "
        "We are inspecting it and will let you know the result soon.",
    ),
    "refund.sent": (
        "Refund sent",
        "We refunded {{ refund.amount | vnd }}",
        "Hello {{ customer.name }},\n\nWe refunded {{ refund.amount | vnd }} (refund {{ refund.code }}). "
        "It usually reaches your account within 1 to 7 working days, depending on your bank or wallet.",
    ),
    "return.rejected": (
        "Return not accepted",
        "Your return {{ return.code }} was not accepted",
        "Hello {{ customer.name }},\n\nUnfortunately return {{ return.code }} does not meet the return conditions. "
        "The reasons and how to reach customer care: {{ links.portal }}",
    ),
}

# Short texts for SMS / Zalo OA (no diacritics for SMS: unaccented messages are one segment longer-safe).
SMS_VI = {
    "order.thank_you": "Cam on anh/chi {{ customer.first_name }} da mua hang. Don {{ order.code }} da giao thanh cong. "
    "Bao hanh & doi tra: {{ links.portal }}",
    "return.approved": "Yeu cau doi tra {{ return.code }} da duoc duyet. Huong dan gui hang: {{ links.portal }}",
    "return.received": "Kho da nhan hang cua yeu cau doi tra {{ return.code }}. Chung toi dang kiem tra san pham.",
    "refund.sent": "Da hoan {{ refund.amount | vnd }} cho yeu cau {{ refund.code }}. Tien ve trong 1-7 ngay lam viec.",
    "shipment.delayed": "Kien hang {{ shipment.code }} ({{ shipment.carrier }}) dang cham. Chung toi se cap nhat som.",
    "return.picked_up": "Da lay hang doi tra {{ return.code }}, ma van don {{ shipment.tracking }}.",
    "return.rejected": "Yeu cau doi tra {{ return.code }} chua duoc chap nhan. Chi tiet: {{ links.portal }}",
    "maintenance.due": "{{ unit.product }} ({{ unit.serial }}) da den ky bao tri. Dat lich: {{ payload.link or links.portal }}",
    "appointment.booked": "Da dat lich hen {{ payload.code }} luc {{ payload.when }}. Xem/huy: {{ payload.link or links.portal }}",
    "appointment.reminder": "Nhac lich hen {{ payload.code }} luc {{ payload.when }}. Huy/doi: {{ payload.link or links.portal }}",
}

ZALO_VI = {
    "order.thank_you": "Cảm ơn anh/chị {{ customer.name }} đã mua hàng! Đơn {{ order.code }} đã giao thành công. "
    "Hướng dẫn sử dụng và bảo hành: {{ links.portal }}",
    "survey.satisfaction": "Anh/chị có hài lòng với đơn {{ order.code }}? Đánh giá giúp chúng tôi: {{ links.survey }}",
    "return.approved": "Yêu cầu đổi trả {{ return.code }} đã được duyệt. Hướng dẫn gửi hàng: {{ links.portal }}",
    "return.received": "Kho đã nhận hàng của yêu cầu đổi trả {{ return.code }}; sản phẩm đang được kiểm tra.",
    "refund.sent": "Đã hoàn {{ refund.amount | vnd }} (mã {{ refund.code }}). Tiền về trong 1–7 ngày làm việc.",
    "warranty.expiring": "Bảo hành {{ unit.product }} (serial {{ unit.serial }}) hết hạn ngày "
    "{{ unit.warranty_expires | date }}. Gửi yêu cầu bảo hành: {{ links.portal }}",
    "birthday.greeting": "Chúc mừng sinh nhật anh/chị {{ customer.first_name }}! Chúc anh/chị nhiều sức khỏe và niềm vui.",
    "maintenance.due": "{{ unit.product }} (serial {{ unit.serial }}) đã đến kỳ bảo trì định kỳ. "
    "Đặt lịch: {{ payload.link or links.portal }}",
    "appointment.booked": "Đã đặt lịch hẹn {{ payload.code }} lúc {{ payload.when }} tại {{ payload.center }}. "
    "Xem hoặc hủy: {{ payload.link or links.portal }}",
    "appointment.reminder": "Nhắc lịch hẹn {{ payload.code }} lúc {{ payload.when }} tại {{ payload.center }}. "
    "Hủy hoặc đổi lịch: {{ payload.link or links.portal }}",
}

# Zalo ZNS (template messages to a phone number, no OA follow needed): the parameters of the booking
# reminders as JSON. Zalo approves each retailer's own template, so these ship inactive without a
# provider template id; a manager fills in the approved id and switches them on (0007_booking_templates).
_APPOINTMENT_ZNS = (
    '{"customer_name": "{{ customer.name }}", "appointment_code": "{{ payload.code }}", '
    '"time": "{{ payload.when }}", "center": "{{ payload.center }}", "link": "{{ payload.link or links.portal }}"}'
)
ZNS_VI = {
    "maintenance.due": (
        '{"customer_name": "{{ customer.name }}", "product": "{{ unit.product }}", "serial": "{{ unit.serial }}", '
        '"link": "{{ payload.link or links.portal }}"}'
    ),
    "appointment.booked": _APPOINTMENT_ZNS,
    "appointment.reminder": _APPOINTMENT_ZNS,
}


def rows() -> list[tuple[str, str, str, str, str, str, str]]:
    """Every built-in template as (key, channel, language, name, subject, text, html)."""
    result = []
    for language, table, footer in (("vi", EMAIL_VI, _FOOTER_VI), ("en", EMAIL_EN, _FOOTER_EN)):
        for key, (name, subject, text) in table.items():
            body = text + footer
            result.append((key, "email", language, name, subject, body, _html(body)))
    for key, text in SMS_VI.items():
        result.append((key, "sms", "vi", EMAIL_VI[key][0], "", text, ""))
    for key, text in ZALO_VI.items():
        result.append((key, "zalo", "vi", EMAIL_VI[key][0], "", text, ""))
    return result


def zns_rows() -> list[tuple[str, str, str, str, str, str, str]]:
    """The Zalo ZNS parameter templates (created inactive: they need the retailer's approved template id)."""
    return [(key, "zns", "vi", EMAIL_VI[key][0], "", text, "") for key, text in ZNS_VI.items()]
