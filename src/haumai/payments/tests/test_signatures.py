"""Signature strings of VNPay and MoMo, computed independently of the clients."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from haumai.payments.providers import momo, vnpay


def test_vnpay_hash_data_order_and_empty_values() -> None:
    values = {"vnp_RequestId": "R1", "vnp_Version": "2.1.0", "vnp_Command": "querydr", "vnp_TmnCode": "T",
              "vnp_TxnRef": "ORD-1", "vnp_TransactionDate": "20261101163000", "vnp_CreateDate": "20261120100000",
              "vnp_IpAddr": "127.0.0.1", "vnp_OrderInfo": None}  # fmt: skip
    data = vnpay.hash_data(values, vnpay.QUERY_REQUEST_FIELDS)
    assert data == "R1|2.1.0|querydr|T|ORD-1|20261101163000|20261120100000|127.0.0.1|"
    assert vnpay.secure_hash("s3cret", data) == hmac.new(b"s3cret", data.encode(), hashlib.sha512).hexdigest()


def test_vnpay_dates_are_gmt7() -> None:
    assert vnpay.vnpay_datetime(dt.datetime(2026, 12, 31, 17, 5, 9, tzinfo=dt.UTC)) == "20270101000509"


def test_momo_refund_signature_string(settings: Any) -> None:
    settings.HAUMAI_MOMO_ACCESS_KEY = "F8BBA842ECF85"
    settings.HAUMAI_MOMO_SECRET_KEY = "K951B6PE1waDMi640xX08PD3vg6EkVlz"
    body = {"partnerCode": "MOMO", "orderId": "RF-2026-000001-1", "requestId": "abc", "amount": 50000,
            "transId": 4088878653, "description": "Hoan tien"}  # fmt: skip
    raw = momo.raw_signature(body, momo.REFUND_REQUEST_KEYS)
    assert raw == (
        "accessKey=F8BBA842ECF85&amount=50000&description=Hoan tien&orderId=RF-2026-000001-1"
        "&partnerCode=MOMO&requestId=abc&transId=4088878653"
    )
    expected = hmac.new(b"K951B6PE1waDMi640xX08PD3vg6EkVlz", raw.encode(), hashlib.sha256).hexdigest()
    assert momo.sign(raw) == expected


def test_momo_answers_without_signature_are_not_believed_by_default(settings: Any) -> None:
    settings.HAUMAI_MOMO_SECRET_KEY = "k"
    assert momo.response_signature_valid({"resultCode": 0}, momo.REFUND_RESPONSE_KEYS) is None
    assert momo.response_signature_valid({"resultCode": 0, "signature": "00"}, momo.REFUND_RESPONSE_KEYS) is False
    from haumai.payments import conf

    assert conf.momo_require_response_signature() is True
    settings.HAUMAI_MOMO_REQUIRE_RESPONSE_SIGNATURE = "0"
    assert conf.momo_require_response_signature() is False
