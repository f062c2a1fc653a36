"""The demo catalogue: categories and products a Vietnamese electronics-and-lifestyle retailer sells.

Prices are list prices in VND (late 2025). Warranty and return terms follow what brands and large
Vietnamese retailers publish: phones and laptops 12-24 months from the brand, large appliances 24
months from delivery with periodic maintenance, fashion and cosmetics no warranty but a return window.
"""

from __future__ import annotations

from dataclasses import dataclass

# (code, name, parent code or "")
CATEGORIES: list[tuple[str, str, str]] = [
    ("dien-thoai", "Điện thoại", ""),
    ("laptop", "Laptop", ""),
    ("dien-may", "Điện máy gia dụng", ""),
    ("tu-lanh", "Tủ lạnh", "dien-may"),
    ("may-giat", "Máy giặt", "dien-may"),
    ("dieu-hoa", "Điều hòa", "dien-may"),
    ("noi-com-dien", "Nồi cơm điện", "dien-may"),
    ("thoi-trang", "Thời trang", ""),
    ("thoi-trang-nam", "Thời trang nam", "thoi-trang"),
    ("thoi-trang-nu", "Thời trang nữ", "thoi-trang"),
    ("giay-dep", "Giày dép", "thoi-trang"),
    ("my-pham", "Mỹ phẩm", ""),
    ("cham-soc-da", "Chăm sóc da", "my-pham"),
    ("trang-diem", "Trang điểm", "my-pham"),
    ("may-loc-nuoc", "Máy lọc nước", "dien-may"),
    ("phu-kien", "Phụ kiện", ""),
    ("phu-kien-dien-thoai", "Phụ kiện điện thoại", "phu-kien"),
    ("phu-kien-laptop", "Phụ kiện laptop", "phu-kien"),
    ("loi-loc-nuoc", "Lõi lọc nước", "phu-kien"),
]

# Department of each leaf category: decides channel mix, serials and quantities.
DEPARTMENT = {
    "dien-thoai": "phone", "laptop": "laptop", "tu-lanh": "appliance", "may-giat": "appliance",
    "dieu-hoa": "appliance", "noi-com-dien": "appliance", "thoi-trang-nam": "fashion",
    "thoi-trang-nu": "fashion", "giay-dep": "fashion", "cham-soc-da": "cosmetics",
    "trang-diem": "cosmetics", "may-loc-nuoc": "purifier", "phu-kien-dien-thoai": "accessory",
    "phu-kien-laptop": "accessory", "loi-loc-nuoc": "accessory",
}


@dataclass(frozen=True)
class ProductSpec:
    """One SKU of the demo catalogue."""

    sku: str
    name: str
    brand: str
    category: str
    price: int
    warranty_months: int = 0
    warranty_start: str = "purchase"
    warranty_provider: str = "retailer"
    return_days: int = 7
    is_returnable: bool = True
    popularity: float = 1.0
    maintenance_months: int = 0  # recommended service interval (no model field yet; used by care journeys)

    @property
    def department(self) -> str:
        return DEPARTMENT[self.category]

    @property
    def is_serialized(self) -> bool:
        return self.department in ("phone", "laptop", "appliance", "purifier")


def _phone(sku: str, name: str, brand: str, price: int, months: int, popularity: float) -> ProductSpec:
    return ProductSpec(
        sku, name, brand, "dien-thoai", price, warranty_months=months, warranty_start="activation",
        warranty_provider="brand", return_days=30, popularity=popularity,
    )


def _laptop(sku: str, name: str, brand: str, price: int, months: int, popularity: float) -> ProductSpec:
    return ProductSpec(
        sku, name, brand, "laptop", price, warranty_months=months, warranty_start="purchase",
        warranty_provider="brand", return_days=15, popularity=popularity,
    )


def _appliance(
    sku: str, name: str, brand: str, category: str, price: int, popularity: float, maintenance: int
) -> ProductSpec:
    return ProductSpec(
        sku, name, brand, category, price, warranty_months=24, warranty_start="delivery",
        warranty_provider="brand", return_days=7, popularity=popularity, maintenance_months=maintenance,
    )


def _fashion(sku: str, name: str, brand: str, category: str, price: int, days: int, popularity: float) -> ProductSpec:
    return ProductSpec(sku, name, brand, category, price, return_days=days, popularity=popularity)


def _cosmetic(sku: str, name: str, brand: str, category: str, price: int, popularity: float) -> ProductSpec:
    return ProductSpec(sku, name, brand, category, price, return_days=7, popularity=popularity)


PRODUCTS: list[ProductSpec] = [
    # Phones: brand warranty from activation (electronic warranty), 12-24 months.
    _phone("SS-S25U-256-BK", "Samsung Galaxy S25 Ultra 5G 12GB/256GB Đen Titan", "Samsung", 33_990_000, 12, 3),
    _phone("SS-S25U-512-GY", "Samsung Galaxy S25 Ultra 5G 12GB/512GB Xám Titan", "Samsung", 37_490_000, 12, 1),
    _phone("SS-S25-256-BL", "Samsung Galaxy S25 5G 12GB/256GB Xanh Navy", "Samsung", 22_990_000, 12, 2),
    _phone("SS-ZFL6-256-YL", "Samsung Galaxy Z Flip6 5G 12GB/256GB Vàng", "Samsung", 26_990_000, 12, 1),
    _phone("SS-A56-128-GY", "Samsung Galaxy A56 5G 8GB/128GB Xám", "Samsung", 9_990_000, 12, 5),
    _phone("SS-A36-128-LV", "Samsung Galaxy A36 5G 8GB/128GB Tím Lavender", "Samsung", 8_290_000, 12, 5),
    _phone("SS-A16-128-BK", "Samsung Galaxy A16 8GB/128GB Đen", "Samsung", 4_990_000, 12, 6),
    _phone("AP-IP16PM-256-DT", "iPhone 16 Pro Max 256GB Titan Sa Mạc", "Apple", 34_990_000, 12, 4),
    _phone("AP-IP16PM-512-NT", "iPhone 16 Pro Max 512GB Titan Tự Nhiên", "Apple", 40_990_000, 12, 1),
    _phone("AP-IP16P-128-BK", "iPhone 16 Pro 128GB Titan Đen", "Apple", 28_990_000, 12, 3),
    _phone("AP-IP16-128-TL", "iPhone 16 128GB Xanh Mòng Két", "Apple", 22_990_000, 12, 4),
    _phone("AP-IP16E-128-WH", "iPhone 16e 128GB Trắng", "Apple", 16_990_000, 12, 2),
    _phone("AP-IP15-128-PK", "iPhone 15 128GB Hồng", "Apple", 19_490_000, 12, 3),
    _phone("OP-RN13-256-PL", "OPPO Reno13 5G 12GB/256GB Tím Ánh Sáng", "OPPO", 15_990_000, 24, 2),
    _phone("OP-RN13F-256-GY", "OPPO Reno13 F 8GB/256GB Xám", "OPPO", 8_990_000, 24, 3),
    _phone("OP-FX8-512-BK", "OPPO Find X8 16GB/512GB Đen", "OPPO", 22_990_000, 24, 1),
    _phone("OP-A3X-64-RD", "OPPO A3x 4GB/64GB Đỏ", "OPPO", 3_490_000, 24, 4),
    _phone("XM-15-256-GN", "Xiaomi 15 12GB/256GB Xanh Lá", "Xiaomi", 21_990_000, 18, 1),
    _phone("XM-14T-256-BL", "Xiaomi 14T 12GB/256GB Xanh Dương", "Xiaomi", 12_990_000, 18, 2),
    _phone("XM-RN14P-256-PL", "Xiaomi Redmi Note 14 Pro 8GB/256GB Tím", "Xiaomi", 7_490_000, 18, 5),
    _phone("XM-R14C-128-BK", "Xiaomi Redmi 14C 4GB/128GB Đen", "Xiaomi", 3_290_000, 18, 5),
    # Laptops: brand warranty from purchase, 12-24 months.
    _laptop("AP-MBA13-M3-256", "MacBook Air 13 inch M3 8GB/256GB Xám", "Apple", 24_990_000, 12, 3),
    _laptop("AP-MBA15-M3-512", "MacBook Air 15 inch M3 16GB/512GB Bạc", "Apple", 36_990_000, 12, 1),
    _laptop("AP-MBP14-M4-512", "MacBook Pro 14 inch M4 16GB/512GB Đen", "Apple", 39_990_000, 12, 1),
    _laptop("DL-INS15-3530-I5", "Dell Inspiron 15 3530 i5 1334U/16GB/512GB", "Dell", 16_490_000, 12, 3),
    _laptop("DL-XPS13-9340", "Dell XPS 13 9340 Ultra 7/16GB/512GB", "Dell", 45_990_000, 24, 1),
    _laptop("HP-PAV15-I5", "HP Pavilion 15 eg3095TU i5 1335U/16GB/512GB", "HP", 17_290_000, 12, 2),
    _laptop("HP-VIC16-R7", "HP Victus 16 R7 7840HS/16GB/512GB RTX 4050", "HP", 26_990_000, 12, 2),
    _laptop("AS-VB15-I3", "ASUS Vivobook 15 X1504ZA i3 1215U/8GB/512GB", "ASUS", 10_990_000, 24, 4),
    _laptop("AS-TUF15-I5", "ASUS TUF Gaming F15 FX507ZC4 i5 12500H/16GB/512GB", "ASUS", 20_490_000, 24, 3),
    _laptop("LN-IPS3-I5", "Lenovo IdeaPad Slim 3 15IAH8 i5 12450H/16GB/512GB", "Lenovo", 14_490_000, 24, 3),
    _laptop("LN-TPE14-G6", "Lenovo ThinkPad E14 Gen 6 Ultra 5/16GB/512GB", "Lenovo", 23_990_000, 12, 1),
    _laptop("AC-NITV15-I5", "Acer Nitro V 15 ANV15-51 i5 13420H/16GB/512GB RTX 3050", "Acer", 19_990_000, 12, 3),
    _laptop("AC-ASP7-R5", "Acer Aspire 7 A715-76 i5 12450H/8GB/512GB", "Acer", 15_490_000, 12, 2),
    # Large and small appliances: 24 months from delivery (installed), periodic maintenance.
    _appliance("SS-RT22-236", "Tủ lạnh Samsung Inverter 236 lít RT22M4032BY/SV",
        "Samsung", "tu-lanh", 6_290_000, 3, 12),
    _appliance("PA-NRBV361-322", "Tủ lạnh Panasonic Inverter 322 lít NR-BV361BPKV",
        "Panasonic", "tu-lanh", 12_490_000, 2, 12),
    _appliance("LG-GNB332-335", "Tủ lạnh LG Inverter 335 lít GN-B332BG", "LG", "tu-lanh", 10_290_000, 2, 12),
    _appliance("TS-GTB23-180", "Tủ lạnh Toshiba Inverter 180 lít GR-RT234WE-PMV",
        "Toshiba", "tu-lanh", 5_190_000, 2, 12),
    _appliance("AQ-IG525-469", "Tủ lạnh Aqua Inverter 469 lít AQR-IG525AM", "Aqua", "tu-lanh", 13_990_000, 1, 12),
    _appliance("LG-FV1409-9KG", "Máy giặt LG AI DD Inverter 9 kg FV1409S4W", "LG", "may-giat", 9_490_000, 3, 12),
    _appliance("EL-EWF9024-9KG", "Máy giặt Electrolux Inverter 9 kg EWF9024P5WB",
        "Electrolux", "may-giat", 8_690_000, 2, 12),
    _appliance("SS-WW95T-95KG", "Máy giặt Samsung AI EcoBubble Inverter 9.5 kg WW95T504DAX",
        "Samsung", "may-giat", 10_990_000, 2, 12),
    _appliance("TS-AW-DUK1150-105KG", "Máy giặt cửa trên Toshiba Inverter 10.5 kg AW-DUK1150HV",
        "Toshiba", "may-giat", 7_290_000, 2, 12),
    _appliance("DK-FTKB25-1HP", "Điều hòa Daikin Inverter 1 HP FTKB25ZVMV", "Daikin", "dieu-hoa", 10_590_000, 4, 6),
    _appliance("PA-CUXU12-15HP", "Điều hòa Panasonic Inverter 1.5 HP CU/CS-XU12ZKH-8",
        "Panasonic", "dieu-hoa", 17_290_000, 2, 6),
    _appliance("CS-GC09IS-1HP", "Điều hòa Casper Inverter 1 HP GC-09IS35", "Casper", "dieu-hoa", 5_990_000, 3, 6),
    _appliance("LG-V13API-15HP", "Điều hòa LG Dual Inverter 1.5 HP V13API1", "LG", "dieu-hoa", 11_290_000, 2, 6),
    _appliance("SH-KSCOM18-18L", "Nồi cơm điện tử Sharp 1.8 lít KS-COM186EV",
        "Sharp", "noi-com-dien", 1_490_000, 3, 0),
    _appliance("CK-CRP-PK1000-18L", "Nồi cơm áp suất điện tử Cuckoo 1.8 lít CRP-PK1000S",
        "Cuckoo", "noi-com-dien", 4_990_000, 1, 0),
    _appliance("TS-RCD10-18L", "Nồi cơm điện cao tần Toshiba 1.8 lít RC-18IX1PV",
        "Toshiba", "noi-com-dien", 3_290_000, 2, 0),
    _appliance("SU-SHD8955-18L", "Nồi cơm điện Sunhouse Mama 1.8 lít SHD8955",
        "Sunhouse", "noi-com-dien", 890_000, 4, 0),
    # Fashion: no warranty, 15-30 day exchange/return window.
    _fashion("CM-ATCOOL-M-WH", "Áo thun nam Cotton Compact Coolmate trắng size M",
        "Coolmate", "thoi-trang-nam", 199_000, 30, 6),
    _fashion("CM-QSHORT-L-BK", "Quần short nam thể thao Coolmate đen size L",
        "Coolmate", "thoi-trang-nam", 229_000, 30, 4),
    _fashion("OW-SMI-40-BL", "Áo sơ mi nam Owen dài tay xanh nhạt size 40", "Owen", "thoi-trang-nam", 650_000, 15, 3),
    _fashion("LV-511-32-IND", "Quần jean nam Levi's 511 Slim xanh chàm W32",
        "Levi's", "thoi-trang-nam", 1_790_000, 15, 2),
    _fashion("CN-AKGIO-M-NV", "Áo khoác gió nam Canifa chống nước xanh navy size M",
        "Canifa", "thoi-trang-nam", 599_000, 15, 3),
    _fashion("IV-VAYLIEN-S-RD", "Đầm liền công sở Ivy Moda đỏ đô size S",
        "Ivy Moda", "thoi-trang-nu", 1_290_000, 15, 2),
    _fashion("RT-ABL-M-CR", "Áo blouse nữ Routine tay phồng kem size M", "Routine", "thoi-trang-nu", 450_000, 15, 3),
    _fashion("CN-QTN-S-BK", "Quần tây nữ Canifa ống đứng đen size S", "Canifa", "thoi-trang-nu", 499_000, 15, 3),
    _fashion("YO-CHANVAY-M-BE", "Chân váy chữ A Yody be size M", "Yody", "thoi-trang-nu", 349_000, 30, 4),
    _fashion("BT-HUNTERX-41", "Giày thể thao Biti's Hunter X trắng size 41", "Biti's", "giay-dep", 1_099_000, 30, 4),
    _fashion("BT-SANDAL-38", "Sandal nữ Biti's quai ngang size 38", "Biti's", "giay-dep", 389_000, 30, 3),
    _fashion("AN-SAMBA-42", "Giày adidas Samba OG trắng đen size 42", "adidas", "giay-dep", 2_800_000, 15, 2),
    # Cosmetics: no warranty, 7-day return if unopened.
    _cosmetic("LRP-ANTH-50ML", "Kem chống nắng La Roche-Posay Anthelios UVMune 400 50ml",
        "La Roche-Posay", "cham-soc-da", 495_000, 5),
    _cosmetic("CTP-GENTLE-500ML", "Sữa rửa mặt Cetaphil Gentle Skin Cleanser 500ml",
        "Cetaphil", "cham-soc-da", 389_000, 5),
    _cosmetic("BDM-SENS-500ML", "Nước tẩy trang Bioderma Sensibio H2O 500ml", "Bioderma", "cham-soc-da", 459_000, 5),
    _cosmetic("TO-NIA10-30ML", "Serum The Ordinary Niacinamide 10% + Zinc 1% 30ml",
        "The Ordinary", "cham-soc-da", 320_000, 4),
    _cosmetic("CC-BIDAO-140ML", "Nước bí đao cân bằng da Cocoon 140ml", "Cocoon", "cham-soc-da", 195_000, 4),
    _cosmetic("VC-M89-50ML", "Tinh chất khoáng Vichy Minéral 89 50ml", "Vichy", "cham-soc-da", 790_000, 2),
    _cosmetic("IF-GREENTEA-80ML", "Serum trà xanh Innisfree Green Tea Seed 80ml",
        "Innisfree", "cham-soc-da", 650_000, 2),
    _cosmetic("BR-A12-LIP", "Son kem lì Black Rouge Air Fit Velvet Tint A12",
        "Black Rouge", "trang-diem", 179_000, 5),
    _cosmetic("3CE-TAUPE-LIP", "Son thỏi 3CE Matte Lip Color Taupe", "3CE", "trang-diem", 390_000, 3),
    _cosmetic("MB-FITME-CUSHION", "Phấn nước Maybelline Fit Me Cushion 14g", "Maybelline", "trang-diem", 329_000, 3),
    _cosmetic("LM-MASCARA-LASH", "Mascara L'Oréal Lash Paradise đen", "L'Oréal", "trang-diem", 289_000, 2),
]

# Purifiers and accessories come last (the order of the list above decides the demo's random draws).
# The generator never picks them by channel mix: they are bought with, or after, what they belong to
# (demo.affinity), so the learned associations have real structure to find.
PRODUCTS += [
    _appliance("KG-KG10A3-10L", "Máy lọc nước RO Kangaroo KG10A3 10 lõi", "Kangaroo", "may-loc-nuoc",
        5_990_000, 3, 6),
    _appliance("KR-O-S229-9L", "Máy lọc nước RO Karofi O-S229 9 lõi", "Karofi", "may-loc-nuoc", 4_790_000, 2, 6),
    _appliance("AOS-E3-RO", "Máy lọc nước A. O. Smith E3 RO", "A. O. Smith", "may-loc-nuoc", 8_990_000, 1, 6),
    ProductSpec("KG-LOI123-SET", "Bộ 3 lõi lọc thô 1-2-3 Kangaroo", "Kangaroo", "loi-loc-nuoc", 390_000,
        return_days=7, popularity=1),
    ProductSpec("KR-LOI-RO-50G", "Lõi lọc RO Karofi 50 GPD", "Karofi", "loi-loc-nuoc", 650_000, return_days=7,
        popularity=1),
    ProductSpec("AOS-LOI-E3", "Bộ lõi thay thế A. O. Smith E3", "A. O. Smith", "loi-loc-nuoc", 1_290_000,
        return_days=7, popularity=1),
    ProductSpec("AP-20W-USBC", "Củ sạc nhanh Apple 20W USB-C", "Apple", "phu-kien-dien-thoai", 490_000,
        warranty_months=12, return_days=30, popularity=1),
    ProductSpec("SS-25W-USBC", "Củ sạc nhanh Samsung 25W USB-C", "Samsung", "phu-kien-dien-thoai", 390_000,
        warranty_months=12, return_days=30, popularity=1),
    ProductSpec("UG-CASE-IP16", "Ốp lưng UAG iPhone 16 series chống sốc", "UAG", "phu-kien-dien-thoai", 890_000,
        return_days=30, popularity=1),
    ProductSpec("SS-CASE-SILI", "Ốp lưng silicone Samsung Galaxy chính hãng", "Samsung", "phu-kien-dien-thoai",
        450_000, return_days=30, popularity=1),
    ProductSpec("MP-KINH-CL", "Miếng dán kính cường lực Mipow", "Mipow", "phu-kien-dien-thoai", 250_000,
        return_days=7, popularity=1),
    ProductSpec("AK-TWS-P2", "Tai nghe Bluetooth Soundcore P20i", "Anker", "phu-kien-dien-thoai", 590_000,
        warranty_months=12, return_days=15, popularity=1),
    ProductSpec("LG-M331-MOUSE", "Chuột không dây Logitech M331 Silent", "Logitech", "phu-kien-laptop", 349_000,
        warranty_months=12, return_days=15, popularity=1),
    ProductSpec("TG-BALO-15", "Balo laptop Targus 15.6 inch", "Targus", "phu-kien-laptop", 690_000,
        return_days=15, popularity=1),
    ProductSpec("UG-HUB-USBC", "Hub USB-C Ugreen 6 trong 1", "Ugreen", "phu-kien-laptop", 550_000,
        warranty_months=12, return_days=15, popularity=1),
]

# Serial prefix per brand (two letters) for the generated serial numbers.
SERIAL_BRAND = {
    "Samsung": "SM", "Apple": "AP", "OPPO": "OP", "Xiaomi": "XM", "Dell": "DL", "HP": "HP",
    "ASUS": "AS", "Lenovo": "LN", "Acer": "AC", "Panasonic": "PA", "LG": "LG", "Toshiba": "TS",
    "Aqua": "AQ", "Electrolux": "EL", "Daikin": "DK", "Casper": "CS", "Sharp": "SH", "Cuckoo": "CK",
    "Sunhouse": "SU", "Kangaroo": "KG", "Karofi": "KR", "A. O. Smith": "AO",
}
# IMEI reporting-body digits: "35" (BABT) for Samsung and Apple, "86" (TAF, China) for OPPO and Xiaomi.
IMEI_BRAND = {"Samsung": "35", "Apple": "35", "OPPO": "86", "Xiaomi": "86"}
