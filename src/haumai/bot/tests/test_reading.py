"""Reading messages: folding, teencode, misspellings, language, codes; intents on typical sentences."""

from __future__ import annotations

from haumai.bot import intents
from haumai.bot.text import Vocabulary, edit_distance, read

VOCABULARY = Vocabulary(intents.vocabulary_words() | {"delivery", "warranty", "giao"})


def test_teencode_and_missing_diacritics_read_as_the_words() -> None:
    assert read("dh cua mik giao chua z", VOCABULARY).folded == "don hang cua minh giao chua vay"
    assert read("sp ko dc bh a", VOCABULARY).folded == "san pham khong duoc bao hanh anh"
    plain = read("don hang cua toi giao chua", VOCABULARY).folded
    assert read("Đơn hàng của tôi giao chưa?", VOCABULARY).folded == plain


def test_misspellings_are_corrected_against_the_vocabulary_but_real_syllables_are_kept() -> None:
    reading = read("giaoo chua, delivry", VOCABULARY)
    assert reading.words[:2] == ("giao", "chua")
    assert ("delivry", "delivery") in reading.corrected
    assert read("nhanh len", VOCABULARY).words[0] == "nhanh"  # a real syllable, not "nhan"
    assert edit_distance("warrnaty", "warranty") == 1  # a swap counts one


def test_language_codes_phones_and_serials() -> None:
    reading = read("Đơn ORD 2026 000123 của em, sđt 0901.234.567, máy SN: LGW123456", VOCABULARY)
    assert reading.language == "vi"
    assert reading.order_codes == ("ORD-2026-000123",)
    assert reading.phones == ("+84901234567",)
    assert reading.serials == ("LGW123456",)
    assert read("where is my order", VOCABULARY).language == "en"
    assert read("RMA-2026-7 sao roi", VOCABULARY).return_codes == ("RMA-2026-000007",)


def test_intents_of_typical_messages() -> None:
    def intent(text: str) -> str:
        guess = intents.classify(read(text, VOCABULARY))
        return guess.intent if guess.confident else intents.UNKNOWN

    assert intent("don hang cua toi giao chua") == intents.ORDER_STATUS
    assert intent("gặp nhân viên") == intents.HUMAN
    assert intent("gap nhan vien") == intents.HUMAN
    assert intent("talk to a human") == intents.HUMAN
    assert intent("muốn đổi size áo") == intents.START_RETURN
    assert intent("chính sách đổi trả thế nào") != intents.START_RETURN
    assert intent("hoan tien chua vay") == intents.RETURN_STATUS
    assert intent("may con bh ko") == intents.WARRANTY
    assert intent("dat lich sua dieu hoa") == intents.BOOK_REPAIR
    assert intent("cam on shop") == intents.THANKS
    assert intent("xyz") == intents.UNKNOWN
