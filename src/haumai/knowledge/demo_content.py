# ruff: noqa: E501 - long Vietnamese sentences of demo content
"""Demo help-center content in Vietnamese: categories, policy articles, FAQ entries, usage guides per
catalog category and for the best-selling products (the texts follow what large Vietnamese retailers publish)."""

from __future__ import annotations

# (slug, name_vi, name_en, description_vi, icon)
CATEGORIES = [
    ("huong-dan-su-dung", "Hướng dẫn sử dụng", "Usage guides", "Cách dùng và bảo quản sản phẩm đúng cách", "book-open"),
    ("bao-hanh", "Bảo hành", "Warranty", "Thời hạn, điều kiện và cách gửi bảo hành", "shield-check"),
    ("doi-tra", "Đổi trả và hoàn tiền", "Returns and refunds", "Điều kiện đổi trả, thời gian hoàn tiền", "undo-2"),
    ("giao-hang", "Giao hàng và lắp đặt", "Delivery and installation", "Thời gian giao, phí ship, lắp đặt", "truck"),
    ("thanh-toan", "Thanh toán", "Payment", "Các hình thức thanh toán, trả góp, hóa đơn", "wallet"),
    ("xu-ly-su-co", "Tự xử lý sự cố", "Troubleshooting", "Kiểm tra từng bước trước khi mang máy đi sửa", "wrench"),
]

# Policy articles: (category slug, title, summary, [paragraphs])
ARTICLES = [
    ("bao-hanh", "Chính sách bảo hành sản phẩm", "Thời hạn bảo hành theo từng nhóm hàng và những trường hợp không được bảo hành", [
        "Điện thoại và laptop được bảo hành chính hãng 12–24 tháng tại trung tâm bảo hành của hãng; máy lỗi trong 30 "
        "ngày đầu được đổi máy mới cùng mẫu.",
        "Điện máy gia dụng (tủ lạnh, máy giặt, điều hòa) được bảo hành 24 tháng kể từ ngày giao và lắp đặt, kỹ thuật viên "
        "đến tận nhà.",
        "Không bảo hành khi sản phẩm bị rơi vỡ, vào nước, cháy nổ do nguồn điện không ổn định, hoặc tem bảo hành bị rách.",
    ]),
    ("bao-hanh", "Cách kích hoạt bảo hành điện tử", "Kích hoạt bằng số serial/IMEI trong 2 phút, không cần giữ phiếu giấy", [
        "Vào cổng chăm sóc khách hàng, chọn Tra cứu bảo hành, nhập số serial hoặc IMEI in trên hộp máy.",
        "Nhập số điện thoại đã mua hàng để nhận mã xác nhận, sau đó tải ảnh hóa đơn nếu được yêu cầu.",
        "Thẻ bảo hành điện tử được gửi qua Zalo và e-mail; anh/chị có thể tải bản PDF bất cứ lúc nào.",
    ]),
    ("doi-tra", "Chính sách đổi trả trong 30 ngày", "Điều kiện đổi trả, hàng lỗi và hàng không lỗi", [
        "Sản phẩm lỗi do nhà sản xuất được đổi mới trong 30 ngày kể từ ngày nhận hàng, miễn phí vận chuyển hai chiều.",
        "Thời trang được đổi size hoặc mẫu trong 15–30 ngày khi còn nguyên tem mác, chưa qua sử dụng hoặc giặt.",
        "Mỹ phẩm đã mở niêm phong không được đổi trả, trừ khi sản phẩm bị lỗi hoặc hết hạn sử dụng.",
    ]),
    ("doi-tra", "Thời gian hoàn tiền", "Hoàn tiền về thẻ, ví điện tử hoặc tài khoản ngân hàng trong 1–7 ngày làm việc", [
        "Sau khi kho nhận và kiểm tra hàng trả, tiền được hoàn theo đúng hình thức anh/chị đã thanh toán.",
        "Ví MoMo, ZaloPay: 1–2 ngày làm việc. Thẻ ATM nội địa: 3–5 ngày. Thẻ Visa/Mastercard: 5–7 ngày làm việc.",
        "Đơn thanh toán khi nhận hàng (COD) được hoàn vào tài khoản ngân hàng anh/chị cung cấp.",
    ]),
    ("giao-hang", "Thời gian và phí giao hàng", "Nội thành giao trong ngày, các tỉnh 2–4 ngày; miễn phí đơn từ 500.000 ₫", [
        "Nội thành Hà Nội và TP. Hồ Chí Minh: giao trong 2–4 giờ với đơn đặt trước 16:00.",
        "Các tỉnh thành khác: 2–4 ngày làm việc qua GHN, GHTK hoặc Viettel Post.",
        "Miễn phí giao hàng cho đơn từ 500.000 ₫; đơn nhỏ hơn phí từ 15.000 ₫ đến 30.000 ₫ tùy khu vực.",
    ]),
    ("giao-hang", "Lắp đặt điều hòa, máy giặt tại nhà", "Miễn phí lắp đặt cơ bản; vật tư phát sinh báo giá trước", [
        "Kỹ thuật viên liên hệ trong 24 giờ sau khi giao để hẹn lịch lắp đặt.",
        "Gói lắp đặt cơ bản của điều hòa gồm 3 mét ống đồng, giá đỡ cục nóng và dây điện; phần vượt được báo giá trước.",
    ]),
    ("thanh-toan", "Các hình thức thanh toán", "Tiền mặt khi nhận hàng, chuyển khoản, thẻ, ví MoMo, ZaloPay, VNPay", [
        "Thanh toán khi nhận hàng (COD) cho đơn dưới 20.000.000 ₫.",
        "Chuyển khoản ngân hàng hoặc quét mã VietQR; thẻ ATM, Visa, Mastercard, JCB qua cổng VNPay.",
        "Ví điện tử MoMo, ZaloPay, ShopeePay.",
    ]),
    ("thanh-toan", "Mua trả góp 0%", "Trả góp qua thẻ tín dụng hoặc công ty tài chính cho đơn từ 3.000.000 ₫", [
        "Trả góp 0% qua thẻ tín dụng của 25 ngân hàng, kỳ hạn 3–12 tháng.",
        "Trả góp qua Home Credit, FE Credit: chỉ cần CCCD, duyệt hồ sơ trong 15 phút.",
    ]),
]

# FAQ: (category slug, question, answer)
FAQ = [
    ("bao-hanh", "Bảo hành có mất phí không?", "Miễn phí trong thời hạn bảo hành khi lỗi do nhà sản xuất. Ngoài thời hạn, "
     "kỹ thuật viên báo giá trước khi sửa."),
    ("bao-hanh", "Tôi làm mất phiếu bảo hành thì sao?", "Không sao. Bảo hành được tra theo số serial/IMEI hoặc số điện "
     "thoại mua hàng, không cần phiếu giấy."),
    ("bao-hanh", "Bao lâu thì nhận lại máy bảo hành?", "Thông thường 7–15 ngày làm việc. Nếu quá 15 ngày, anh/chị được "
     "mượn máy dùng tạm hoặc đổi máy mới theo chính sách."),
    ("bao-hanh", "Máy bị rơi vỡ có được bảo hành không?", "Không. Rơi vỡ, vào nước không thuộc bảo hành; cửa hàng vẫn "
     "nhận sửa có tính phí và báo giá trước."),
    ("bao-hanh", "Có gia hạn bảo hành được không?", "Có. Gói bảo hành mở rộng thêm 12 hoặc 24 tháng, mua trong 30 ngày "
     "kể từ ngày mua máy."),
    ("doi-tra", "Đổi size quần áo như thế nào?", "Tạo yêu cầu đổi trả trong cổng khách hàng, chọn lý do Đổi size; "
     "shipper đến lấy hàng và giao size mới cùng lúc."),
    ("doi-tra", "Sản phẩm đã mở hộp có được trả lại không?", "Hàng lỗi được đổi trả dù đã mở hộp. Hàng không lỗi cần còn "
     "đủ hộp, phụ kiện và chưa kích hoạt bảo hành."),
    ("doi-tra", "Ai trả phí vận chuyển khi đổi trả?", "Cửa hàng trả phí khi sản phẩm lỗi hoặc giao sai. Đổi ý với hàng "
     "không lỗi: anh/chị trả phí ship chiều về."),
    ("doi-tra", "Tôi theo dõi yêu cầu đổi trả ở đâu?", "Trong cổng khách hàng, mục Đổi trả: trạng thái lấy hàng, kiểm "
     "tra và hoàn tiền được cập nhật từng bước."),
    ("giao-hang", "Tôi có được kiểm tra hàng trước khi nhận không?", "Có. Anh/chị được mở hộp kiểm tra ngoại quan trước "
     "khi thanh toán; nếu hàng móp méo, hãy từ chối nhận."),
    ("giao-hang", "Đơn hàng của tôi đang ở đâu?", "Vào cổng khách hàng, mục Đơn hàng của tôi để xem trạng thái và mã vận "
     "đơn của nhà vận chuyển."),
    ("giao-hang", "Có giao hàng vào cuối tuần không?", "Có, giao cả thứ Bảy và Chủ nhật; ngày lễ Tết có thể chậm 1–2 ngày."),
    ("giao-hang", "Tôi muốn đổi địa chỉ nhận hàng", "Gọi tổng đài 1900 6868 hoặc nhắn Zalo OA trước khi đơn được giao "
     "cho nhà vận chuyển."),
    ("thanh-toan", "Có xuất hóa đơn VAT không?", "Có. Nhập thông tin công ty khi đặt hàng hoặc yêu cầu trong 7 ngày; "
     "hóa đơn điện tử gửi qua e-mail."),
    ("thanh-toan", "Chuyển khoản xong bao lâu đơn được xác nhận?", "Với VietQR, đơn được xác nhận tự động trong 1–2 phút."),
    ("thanh-toan", "Thanh toán thất bại nhưng tài khoản đã bị trừ tiền?", "Tiền được ngân hàng hoàn tự động trong 1–3 "
     "ngày làm việc. Liên hệ chúng tôi kèm ảnh giao dịch nếu quá thời gian này."),
    ("thanh-toan", "Trả góp cần giấy tờ gì?", "Trả góp qua thẻ tín dụng không cần giấy tờ. Qua công ty tài chính cần "
     "CCCD gắn chip còn hạn."),
]

# Usage guides per catalog category: (catalog category code, title, summary, [steps])
CATEGORY_GUIDES = [
    ("dien-thoai", "Hướng dẫn sử dụng điện thoại mới", "Sạc lần đầu, chuyển dữ liệu và giữ pin bền", [
        "Sạc bằng củ sạc chính hãng; không cần sạc đầy 8 tiếng cho lần đầu như pin đời cũ.",
        "Dùng ứng dụng chuyển dữ liệu của hãng (Smart Switch, Chuyển dữ liệu iPhone) khi bật máy lần đầu.",
        "Bật tối ưu hóa sạc để pin không luôn ở mức 100%; tránh dùng máy khi đang sạc nóng.",
        "Dán cường lực và dùng ốp lưng để tránh rơi vỡ (không thuộc bảo hành).",
    ]),
    ("laptop", "Hướng dẫn sử dụng laptop mới", "Cài đặt ban đầu, cập nhật và bảo quản pin", [
        "Kết nối Wi-Fi và đăng nhập tài khoản Microsoft hoặc Apple ID; chạy cập nhật hệ điều hành và driver.",
        "Kích hoạt bản quyền Office đi kèm (nếu có) trong 180 ngày.",
        "Không để máy ở nơi nóng ẩm; vệ sinh khe tản nhiệt 6 tháng một lần.",
    ]),
    ("tu-lanh", "Hướng dẫn sử dụng tủ lạnh", "Lắp đặt, nhiệt độ nên đặt và vệ sinh định kỳ", [
        "Để tủ đứng yên 2–4 giờ sau khi vận chuyển rồi mới cắm điện.",
        "Cách tường ít nhất 10 cm để tản nhiệt; không đặt cạnh bếp gas.",
        "Ngăn mát 3–5 °C, ngăn đông -18 °C; không cho thức ăn còn nóng vào tủ.",
        "Vệ sinh gioăng cửa và khay nước mỗi tháng bằng nước ấm pha baking soda.",
    ]),
    ("may-giat", "Hướng dẫn sử dụng máy giặt", "Tháo bu lông vận chuyển, chọn chương trình và vệ sinh lồng giặt", [
        "Tháo 3–4 bu lông vận chuyển phía sau máy trước lần giặt đầu tiên (nếu không máy sẽ rung mạnh).",
        "Không giặt quá khối lượng ghi trên máy; phân loại quần áo màu và trắng.",
        "Chạy chương trình vệ sinh lồng giặt mỗi tháng; để cửa máy hé mở sau khi giặt cho khô.",
    ]),
    ("dieu-hoa", "Hướng dẫn sử dụng điều hòa", "Nhiệt độ tiết kiệm điện, vệ sinh lưới lọc và bảo dưỡng định kỳ", [
        "Đặt 25–27 °C để tiết kiệm điện; mỗi độ thấp hơn tốn thêm khoảng 3–5% điện năng.",
        "Vệ sinh lưới lọc bụi 2–4 tuần một lần bằng nước sạch, phơi khô trước khi lắp lại.",
        "Bảo dưỡng định kỳ 6 tháng một lần (vệ sinh dàn lạnh, dàn nóng, kiểm tra gas).",
        "Không bật tắt liên tục; dùng chế độ hẹn giờ khi ngủ.",
    ]),
    ("noi-com-dien", "Hướng dẫn sử dụng nồi cơm điện", "Nấu lần đầu, đong nước và vệ sinh lòng nồi", [
        "Nấu nước sôi 1–2 lần rồi đổ đi trước khi nấu cơm lần đầu.",
        "Đong gạo bằng cốc đi kèm và nước theo vạch trong lòng nồi.",
        "Dùng muỗng nhựa hoặc gỗ để không làm trầy lớp chống dính; lau mâm nhiệt khô trước khi đặt nồi.",
    ]),
    ("thoi-trang-nam", "Hướng dẫn bảo quản quần áo nam", "Giặt, phơi và là đúng cách để áo bền màu", [
        "Lộn trái áo thun và áo sơ mi trước khi giặt; giặt nước lạnh dưới 30 °C.",
        "Phơi nơi thoáng mát, tránh nắng gắt; là ở nhiệt độ thấp với vải cotton pha.",
    ]),
    ("thoi-trang-nu", "Hướng dẫn bảo quản đầm và áo nữ", "Giặt tay đồ lụa, cất giữ đồ công sở", [
        "Đầm lụa, voan nên giặt tay với nước giặt dịu nhẹ, không vắt mạnh.",
        "Treo đầm công sở bằng móc vai rộng để không bị mất form.",
    ]),
    ("giay-dep", "Hướng dẫn chọn size và vệ sinh giày", "Đo chân chọn size, vệ sinh giày da và giày vải", [
        "Đo chiều dài bàn chân vào buổi chiều, cộng thêm 0,5–1 cm để chọn size.",
        "Giày da: lau bằng khăn ẩm, dưỡng xi 2 tuần một lần. Giày vải: giặt tay, phơi trong bóng râm.",
    ]),
    ("cham-soc-da", "Hướng dẫn sử dụng sản phẩm chăm sóc da", "Thứ tự các bước và thử kích ứng", [
        "Thử sản phẩm ở vùng da sau tai 24 giờ trước khi dùng toàn mặt.",
        "Thứ tự: làm sạch, toner, serum, kem dưỡng, kem chống nắng (ban ngày).",
        "Bảo quản nơi khô mát, đậy kín nắp; dùng trong 6–12 tháng sau khi mở.",
    ]),
    ("trang-diem", "Hướng dẫn bảo quản đồ trang điểm", "Hạn dùng sau khi mở và vệ sinh cọ", [
        "Mascara dùng trong 3 tháng, kem nền 6–12 tháng sau khi mở nắp.",
        "Vệ sinh cọ và bông phấn mỗi tuần để tránh vi khuẩn.",
    ]),
]

# Product guides for best sellers: (sku, title, summary, [steps])
PRODUCT_GUIDES = [
    ("AP-IP16PM-256-DT", "Hướng dẫn sử dụng iPhone 16 Pro Max", "Nút Camera Control, sạc MagSafe và kích hoạt bảo hành", [
        "Nhấn nút Camera Control để mở camera, trượt nhẹ để chỉnh thu phóng.",
        "Sạc nhanh bằng củ 20 W trở lên hoặc MagSafe 25 W; cáp USB-C đi kèm.",
        "Kiểm tra bảo hành Apple tại Cài đặt > Cài đặt chung > Giới thiệu.",
    ]),
    ("SS-S25U-256-BK", "Hướng dẫn sử dụng Samsung Galaxy S25 Ultra", "Bút S Pen, Galaxy AI và sạc nhanh 45 W", [
        "Rút bút S Pen ở cạnh dưới máy; bấm nút trên bút để chụp ảnh từ xa.",
        "Bật Galaxy AI tại Cài đặt > Tính năng nâng cao > Thông minh nhân tạo.",
        "Dùng củ sạc 45 W chuẩn PD PPS để sạc nhanh tối đa.",
    ]),
    ("DK-FTKB25-1HP", "Hướng dẫn sử dụng điều hòa Daikin Inverter 1 HP FTKB25ZVMV", "Điều khiển, chế độ Econo và vệ sinh lưới lọc", [
        "Nhấn ECONO để giới hạn công suất khi dùng chung nhiều thiết bị điện.",
        "Chế độ DRY hút ẩm cho những ngày nồm; chế độ COOL đặt 26 °C.",
        "Mở mặt nạ dàn lạnh, tháo lưới lọc, rửa nhẹ bằng nước 2 tuần một lần.",
    ]),
    ("LG-FV1409-9KG", "Hướng dẫn sử dụng máy giặt LG AI DD 9 kg FV1409S4W", "Chương trình giặt, AI DD và vệ sinh lồng", [
        "Chọn chương trình Cotton cho đồ thường ngày; AI DD tự nhận biết khối lượng và chất vải.",
        "Chạy chương trình Tub Clean mỗi tháng; vệ sinh bộ lọc bơm xả ở góc dưới bên phải.",
    ]),
    ("SS-RT22-236", "Hướng dẫn sử dụng tủ lạnh Samsung Inverter 236 lít", "Cài đặt nhiệt độ và chế độ làm đá", [
        "Nhấn giữ nút Freezer để chọn -18 °C đến -23 °C; Fridge từ 1 °C đến 7 °C.",
        "Khay đá xoay: đổ nước đến vạch, xoay núm để lấy đá.",
    ]),
    ("SH-KSCOM18-18L", "Hướng dẫn sử dụng nồi cơm điện tử Sharp 1.8 lít", "Các chế độ nấu và hẹn giờ", [
        "Chọn Cơm trắng, Cơm gạo lứt, Nấu cháo hoặc Hầm bằng nút Menu.",
        "Hẹn giờ: nhấn Timer, chỉnh giờ muốn ăn, nồi tự tính thời gian bắt đầu nấu.",
    ]),
    ("AP-MBA13-M3-256", "Hướng dẫn sử dụng MacBook Air 13 inch M3", "Thiết lập, Touch ID và giữ pin khỏe", [
        "Đăng ký vân tay Touch ID tại Cài đặt hệ thống > Touch ID và mật khẩu.",
        "Bật Sạc pin được tối ưu hóa; dùng củ sạc 30 W đi kèm.",
    ]),
]

# English translations of a few articles: (Vietnamese title, English title, summary, [paragraphs])
TRANSLATIONS = [
    ("Chính sách đổi trả trong 30 ngày", "30-day return policy", "What can be returned and how", [
        "Faulty products are replaced within 30 days of delivery, with free shipping both ways.",
        "Clothes can be exchanged for another size within 15–30 days if unworn with tags attached.",
    ]),
    ("Thời gian và phí giao hàng", "Delivery times and fees", "Same day in the city, 2–4 days elsewhere", [
        "Hanoi and Ho Chi Minh City: delivery within 2–4 hours for orders placed before 16:00.",
        "Other provinces: 2–4 working days. Free delivery from 500,000 ₫.",
    ]),
    ("Hướng dẫn sử dụng điều hòa", "Air conditioner usage guide", "Saving power, cleaning filters, servicing", [
        "Set 25–27 °C to save power; clean the dust filter every 2–4 weeks.",
        "Have the unit serviced every 6 months.",
    ]),
]

# Searches that found nothing (what customers typed, how often).
UNANSWERED = [
    ("bảo hành pin laptop bao lâu", 14), ("doi tra hang khuyen mai", 11), ("trả góp không cần thẻ", 9),
    ("giao hàng quốc tế", 7), ("sửa màn hình iphone giá", 7), ("tích điểm thành viên", 6),
    ("hoan tien vi shopeepay", 5), ("lắp đặt tủ lạnh side by side", 4), ("đổi máy cũ lấy máy mới", 4),
    ("chính sách bảo mật thông tin", 3), ("thu cũ đổi mới điều hòa", 3), ("mua hàng doanh nghiệp số lượng lớn", 2),
    ("bảo hành quốc tế apple", 2), ("huy don hang da thanh toan", 2),
]


# Troubleshooting trees: (title, summary, intro, tree); a tree is (text, outcome, [(answer, tree), ...]).
TROUBLESHOOTING = [
    ("Máy lọc nước không ra nước hoặc nước ra yếu", "Kiểm tra nguồn điện, van cấp nước và lõi lọc trong 5 phút",
     "Trả lời vài câu hỏi ngắn để tìm nguyên nhân và cách khắc phục tại nhà.",
     ("Máy đã cắm điện và đèn nguồn có sáng không?", "question", [
         ("Đèn không sáng", ("Kiểm tra phích cắm, ổ điện và cầu dao; thử cắm sang ổ khác. Nếu máy có công tắc phía "
                             "sau, hãy bật công tắc lên.", "try_fix", [])),
         ("Đèn sáng bình thường", ("Van cấp nước đầu vào đã mở hết chưa?", "question", [
             ("Chưa mở hoặc không chắc", ("Mở van cấp nước đầu vào (vặn ngược chiều kim đồng hồ) và chờ 2–3 phút "
                                          "cho máy tích nước vào bình.", "try_fix", [])),
             ("Đã mở hết", ("Lần gần nhất thay lõi lọc là khi nào?", "question", [
                 ("Hơn 6 tháng trước hoặc chưa thay", ("Lõi lọc thô (lõi 1–3) bị tắc làm nước ra yếu. Thay lõi 1–3 "
                                                       "theo hướng dẫn sử dụng.", "try_fix", [])),
                 ("Trong 6 tháng gần đây", ("Bơm hoặc van điện từ có thể bị lỗi: kỹ thuật viên cần kiểm tra tận "
                                            "nơi.", "repair", [])),
             ])),
         ])),
     ])),
    ("Điện thoại không sạc được pin", "Cáp, củ sạc, cổng sạc hay pin: tìm nguyên nhân trước khi mang máy đi bảo hành",
     "Làm theo từng bước; dừng lại ngay nếu máy nóng bất thường.",
     ("Khi cắm sạc, màn hình có hiện biểu tượng đang sạc không?", "question", [
         ("Không hiện gì", ("Bạn đã thử cáp và củ sạc khác chưa?", "question", [
             ("Chưa thử", ("Thử cáp và củ sạc chính hãng khác; vệ sinh cổng sạc bằng tăm gỗ khô, không dùng vật "
                           "kim loại.", "try_fix", [])),
             ("Đã thử, vẫn không sạc", ("Cổng sạc hoặc mạch sạc có thể bị hỏng. Mang máy đến trung tâm bảo hành "
                                        "để kỹ thuật viên kiểm tra.", "repair", [])),
         ])),
         ("Có hiện nhưng sạc rất chậm", ("Tắt ứng dụng chạy nền, bật chế độ máy bay khi sạc và dùng củ sạc đúng "
                                         "công suất (từ 18 W trở lên).", "try_fix", [])),
         ("Máy nóng bất thường khi sạc", ("Ngưng sạc ngay và không sử dụng máy. Liên hệ bộ phận chăm sóc khách hàng "
                                          "để được kiểm tra an toàn.", "contact", [])),
     ])),
]
