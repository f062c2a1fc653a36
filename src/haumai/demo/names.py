"""Vietnamese vocabulary for demo people: family names, middle names, given names, streets, e-mail.

Frequencies are rough shares of the Vietnamese population (Nguyễn ~38 %, Trần ~11 %, ...), so a
generated list of customers looks like a real Vietnamese customer base.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Generic, TypeVar

from haumai.core.text import search_key

# (family name, weight in per mille)
FAMILY_NAMES: list[tuple[str, float]] = [
    ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 30), ("Huỳnh", 21),
    ("Phan", 45), ("Vũ", 20), ("Võ", 19), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13),
    ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Đinh", 6), ("Trương", 6), ("Lâm", 5), ("Mai", 4),
    ("Trịnh", 4), ("Đoàn", 4), ("Cao", 3), ("Lương", 3), ("Tạ", 2), ("Hà", 3), ("Châu", 2),
    ("Kiều", 1), ("Tô", 2), ("Thái", 2), ("Quách", 1), ("La", 1), ("Văn", 1), ("Từ", 1),
]

MALE_MIDDLE_NAMES: list[tuple[str, float]] = [
    ("Văn", 30), ("Hữu", 6), ("Đức", 8), ("Minh", 10), ("Quốc", 6), ("Công", 5), ("Thành", 5),
    ("Gia", 4), ("Hoàng", 5), ("Tuấn", 3), ("Anh", 3), ("Xuân", 3), ("Quang", 5), ("Đình", 5),
    ("Ngọc", 3), ("Trọng", 4), ("Thanh", 4), ("Tấn", 3), ("Bảo", 3), ("Duy", 3), ("Nhật", 3),
    ("Trung", 2), ("Phước", 2), ("Chí", 2), ("Mạnh", 2), ("Việt", 2),
]
FEMALE_MIDDLE_NAMES: list[tuple[str, float]] = [
    ("Thị", 30), ("Ngọc", 10), ("Thu", 6), ("Thanh", 6), ("Thùy", 5), ("Bảo", 4), ("Minh", 4),
    ("Phương", 4), ("Kim", 4), ("Hoài", 2), ("Khánh", 3), ("Mai", 3), ("Diệu", 2), ("Quỳnh", 3),
    ("Hồng", 4), ("Mỹ", 4), ("Thảo", 2), ("Hải", 2), ("Tường", 1), ("Cẩm", 2), ("Ánh", 2),
    ("Thị Ngọc", 3), ("Thị Thu", 3), ("Thị Kim", 2), ("Thị Thanh", 2), ("Ngọc Bảo", 1),
]
MALE_GIVEN_NAMES: list[str] = [
    "An", "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Dương", "Hải", "Hiếu",
    "Hoàng", "Hùng", "Huy", "Khang", "Khánh", "Khoa", "Kiên", "Long", "Lâm", "Lộc", "Luân",
    "Minh", "Nam", "Nghĩa", "Nhân", "Phát", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài",
    "Tâm", "Thắng", "Thành", "Thịnh", "Toàn", "Trí", "Trung", "Tuấn", "Tùng", "Việt", "Vinh",
    "Vũ", "Hưng", "Hậu", "Tiến", "Thái", "Hiển", "Đông", "Hoà", "Quý", "Tín", "Tú", "Kiệt",
    "Nguyên", "Thiện", "Hào",
]
FEMALE_GIVEN_NAMES: list[str] = [
    "An", "Anh", "Châu", "Chi", "Diệp", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
    "Hồng", "Huyền", "Hương", "Lan", "Linh", "Loan", "Ly", "Mai", "My", "Nga", "Ngân", "Ngọc",
    "Nhi", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thư", "Thủy", "Trang",
    "Trâm", "Tuyết", "Uyên", "Vân", "Vy", "Yến", "Hân", "Khánh Linh", "Hồng Nhung", "Thúy",
    "Như", "Tiên", "Trinh", "Xuân", "Kiều", "Duyên", "Hoài", "Mến", "Diễm",
]

STREETS: list[str] = [
    "Lê Lợi", "Nguyễn Huệ", "Trần Hưng Đạo", "Lý Thường Kiệt", "Hai Bà Trưng", "Nguyễn Trãi",
    "Lê Duẩn", "Điện Biên Phủ", "Cách Mạng Tháng Tám", "Võ Văn Tần", "Phan Đình Phùng",
    "Hoàng Văn Thụ", "Quang Trung", "Nguyễn Văn Cừ", "Trường Chinh", "Bạch Đằng", "Hùng Vương",
    "Lê Văn Sỹ", "Nguyễn Thị Minh Khai", "Pasteur", "Phạm Văn Đồng", "Xuân Thủy", "Cầu Giấy",
    "Kim Mã", "Láng Hạ", "Giải Phóng", "Nguyễn Văn Linh", "Lê Thánh Tôn", "Tôn Đức Thắng",
    "Ngô Quyền", "Lạc Long Quân", "Âu Cơ", "Phan Chu Trinh", "Trần Phú", "Lê Hồng Phong",
    "Nguyễn Du", "Hoàng Diệu", "Nguyễn Chí Thanh", "Tân Sơn Nhì", "Phan Xích Long", "Kha Vạn Cân",
    "Võ Nguyên Giáp", "Nguyễn Tất Thành", "3 Tháng 2", "30 Tháng 4", "Hàm Nghi", "Bà Triệu",
    "Đinh Tiên Hoàng", "Trần Quốc Toản", "Nguyễn Văn Trỗi", "Mạc Đĩnh Chi", "Yersin",
]
ADDRESS_LABELS: list[tuple[str, float]] = [("Nhà riêng", 70), ("Công ty", 18), ("", 12)]

EMAIL_DOMAINS: list[tuple[str, float]] = [
    ("gmail.com", 74), ("yahoo.com", 7), ("yahoo.com.vn", 3), ("outlook.com", 4),
    ("hotmail.com", 4), ("icloud.com", 5), ("fpt.vn", 1), ("vnpt.vn", 1), ("viettel.vn", 1),
]


@dataclass(frozen=True)
class Person:
    """A generated person: parts of the name and the derived forms."""

    family: str
    middle: str
    given: str
    gender: str  # "female", "male" or "" (not told)

    @property
    def full_name(self) -> str:
        return f"{self.family} {self.middle} {self.given}"


T = TypeVar("T")


class WeightedChoice(Generic[T]):
    """Pick from a weighted list quickly (cumulative weights computed once, one random() per pick)."""

    def __init__(self, items: Sequence[tuple[T, float]]) -> None:
        self.values = [value for value, _ in items]
        self.cumulative = list(accumulate(float(weight) for _, weight in items))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        return self.values[bisect_right(self.cumulative, rng.random() * self.total)]


def choose(rng: random.Random, values: Sequence[T]) -> T:
    """Uniform choice with a single random() call (cheaper than rng.choice in tight loops)."""
    return values[int(rng.random() * len(values))]


def between(rng: random.Random, low: int, high: int) -> int:
    """Uniform integer in [low, high] with a single random() call."""
    return low + int(rng.random() * (high - low + 1))


_FAMILY: WeightedChoice[str] = WeightedChoice(FAMILY_NAMES)
_MALE_MIDDLE: WeightedChoice[str] = WeightedChoice(MALE_MIDDLE_NAMES)
_FEMALE_MIDDLE: WeightedChoice[str] = WeightedChoice(FEMALE_MIDDLE_NAMES)
_LABELS: WeightedChoice[str] = WeightedChoice(ADDRESS_LABELS)
_DOMAINS: WeightedChoice[str] = WeightedChoice(EMAIL_DOMAINS)


def make_person(rng: random.Random) -> Person:
    """A Vietnamese person: họ + tên đệm + tên chosen by gender (2 % leave gender unstated)."""
    roll = rng.random()
    female = roll < 0.51
    gender = "female" if female else "male"
    if roll > 0.98:
        gender = ""
    family = _FAMILY.pick(rng)
    middle = (_FEMALE_MIDDLE if female else _MALE_MIDDLE).pick(rng)
    given_names = FEMALE_GIVEN_NAMES if female else MALE_GIVEN_NAMES
    given = choose(rng, given_names)
    while given.split(" ")[0] == middle.split(" ")[-1]:  # no "Nguyễn Anh Anh"
        given = choose(rng, given_names)
    return Person(family, middle, given, gender)


@lru_cache(maxsize=200_000)
def name_search_key(full_name: str) -> str:
    """haumai.core.text.search_key, cached: demo names repeat a lot."""
    return search_key(full_name)


def make_street(rng: random.Random) -> str:
    """A street address line: house number, sometimes an alley (ngõ/hẻm), and a street."""
    number = between(rng, 1, 450)
    style = rng.random()
    street = choose(rng, STREETS)
    if style < 0.55:
        return f"{number} {street}"
    if style < 0.75:
        return f"Số {number} ngõ {between(rng, 2, 200)} {street}"
    if style < 0.92:
        return f"{number}/{between(rng, 1, 60)} {street}"
    return f"Hẻm {between(rng, 2, 300)}/{between(rng, 1, 40)} {street}, số {number}"


def address_label(rng: random.Random) -> str:
    return _LABELS.pick(rng)


def make_email(rng: random.Random, person: Person, unique_number: int) -> str:
    """A realistic address; `unique_number` (distinct per customer) makes it unique by construction.

    The local part ends with the number and otherwise contains no digits, so two customers with
    different numbers can never get the same address.
    """
    family, *middle_parts = name_search_key(f"{person.family} {person.middle}").split(" ")
    given_parts = name_search_key(person.given).split(" ")
    given = "".join(given_parts)
    initials = "".join(part[0] for part in middle_parts)
    style = rng.random()
    if style < 0.3:
        local = f"{given}.{family}"
    elif style < 0.55:
        local = f"{family}{''.join(middle_parts)}{given}"
    elif style < 0.75:
        local = f"{given}{family[0]}{initials}"
    elif style < 0.9:
        local = f"{given}_{family}"
    else:
        local = f"{family}.{given}"
    return f"{local}{unique_number}@{_DOMAINS.pick(rng)}"
