"""Text the database cannot store (NUL bytes, unpaired surrogates) is refused at the edge with a 400.

PostgreSQL `text` cannot hold 0x00: before the edge middleware each of these requests was a 500 on
PostgreSQL (SQLite stored or compared the NUL). The answer is 400 on both databases, in the API's error
shape under /api/ and /hooks/ and as a plain page elsewhere, and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from haumai.customers.models import Customer
from haumai.events.models import Event

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Probe:
    """One request with an unstorable character in it; `who` is 'manager' (token or session) or 'anonymous'."""

    method: str
    path: str
    who: str = "manager"
    json: Any = None
    raw_json: str = ""
    form: dict[str, Any] = field(default_factory=dict)
    multipart: bool = False
    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def is_api(self) -> bool:
        return self.path.startswith(("/api/", "/hooks/"))


PROBES = {
    "api query string": Probe("GET", "/api/v1/customers?q=An%00"),
    "api query key": Probe("GET", "/api/v1/products?br%00and=x"),
    "api product filter": Probe("GET", "/api/v1/products?brand=%00Sony"),
    "api path code": Probe("GET", "/api/v1/customers/CUS%00"),
    "api path sku": Probe("GET", "/api/v1/products/SKU%00/units"),
    "api path order": Probe("GET", "/api/v1/orders/ORD%00"),
    "api path return": Probe("POST", "/api/v1/returns/RMA%00/approve", json={}),
    "api json value": Probe("POST", "/api/v1/customers", json={"full_name": "An\x00", "phone": "0901234567"}),
    "api json escaped value": Probe(
        "POST", "/api/v1/customers", raw_json='{"full_name": "An\\u0000", "phone": "0901234567"}'
    ),
    "api json surrogate": Probe(
        "POST", "/api/v1/customers", raw_json='{"full_name": "An \\ud800", "phone": "0901234567"}'
    ),
    "api json nested": Probe(
        "POST",
        "/api/v1/customers",
        json={"full_name": "An", "phone": "0901234567", "addresses": [{"street": "1 L\x00ê Lợi", "province_code": 79}]},
    ),
    "api json key": Probe("POST", "/api/v1/customers", raw_json='{"full_name": "An", "ph\\u0000one": "0901234567"}'),
    "api raw nul in body": Probe("POST", "/api/v1/customers", raw_json='{"full_name": "An\x00"}'),
    "api session cookie": Probe("GET", "/api/v1/customers", who="anonymous", cookies={"sessionid": "abc\x00def"}),
    "console path code": Probe("GET", "/console/customers/CUS%00/"),
    "console customer search": Probe("GET", "/console/customers/?q=An%00"),
    "console global search": Probe("GET", "/console/search/?q=%00"),
    "console return": Probe("GET", "/console/returns/RMA%00/"),
    "console shipment": Probe("GET", "/console/shipping/SHP%00/"),
    "console login form": Probe(
        "POST", "/console/login/", who="anonymous", form={"username": "a\x00", "password": "x"}
    ),
    "console session cookie": Probe("GET", "/console/", who="anonymous", cookies={"sessionid": "x\x00"}),
    "admin login form": Probe("POST", "/admin/login/", who="anonymous", form={"username": "a\x00", "password": "x"}),
    "portal order": Probe("GET", "/portal/orders/ORD%00/", who="anonymous"),
    "portal return": Probe("GET", "/portal/returns/RMA%00/", who="anonymous"),
    "portal login link": Probe("GET", "/portal/login/link/ab%00cd/", who="anonymous"),
    "portal lookup query": Probe("GET", "/portal/lookup/?serial=%00", who="anonymous"),
    "portal form post": Probe("POST", "/portal/lookup/", who="anonymous", form={"serial": "SN\x00"}),
    "multipart field name": Probe(
        "POST", "/portal/lookup/", who="anonymous", multipart=True, form={"ser\x00ial": "SN-1"}
    ),
    # (Django already drops unprintable characters from uploaded file names; a file's field name is kept.)
    "multipart file field name": Probe(
        "POST",
        "/portal/lookup/",
        who="anonymous",
        multipart=True,
        form={"pho\x00to": SimpleUploadedFile("a.jpg", b"\xff\xd8\xff", content_type="image/jpeg")},
    ),
    "multipart value": Probe("POST", "/api/v1/customers", multipart=True, form={"full_name": "\x00"}),
    "json inside a form field": Probe(
        "POST", "/console/login/", who="anonymous", form={"username": '{"a": "\\u0000"}', "password": "x"}
    ),
    "header": Probe("GET", "/api/v1/customers", headers={"X-Request-Id": "a\x00b"}),
}


@pytest.fixture
def send(make_staff: Any) -> Any:
    """send(probe) -> the response, as the manager (bearer token for the API, session elsewhere) or anonymously."""
    from haumai.accounts.services import create_api_token

    manager = make_staff("manager")
    _, token = create_api_token(actor=manager, user=manager, name="edge")

    def send(probe: Probe) -> Any:
        client = Client(raise_request_exception=False)
        headers = dict(probe.headers)
        if probe.who == "manager":
            if probe.is_api:
                headers["Authorization"] = f"Bearer {token}"
            else:
                client.force_login(manager)
        for name, value in probe.cookies.items():
            client.cookies[name] = value
        call = getattr(client, probe.method.lower())
        if probe.json is not None:
            return call(probe.path, data=probe.json, content_type="application/json", headers=headers)
        if probe.raw_json:
            return call(probe.path, data=probe.raw_json.encode(), content_type="application/json", headers=headers)
        if probe.multipart:
            return call(probe.path, data=probe.form, headers=headers)  # the test client's default is multipart
        if probe.form:
            from urllib.parse import urlencode

            return call(
                probe.path,
                data=urlencode(probe.form),
                content_type="application/x-www-form-urlencoded",
                headers=headers,
            )
        return call(probe.path, headers=headers)

    return send


def _stored() -> tuple[int, int]:
    return Customer.objects.count(), Event.objects.count()


@pytest.mark.parametrize("probe", list(PROBES.values()), ids=list(PROBES))
def test_unstorable_text_is_refused_at_the_edge_and_nothing_is_written(send: Any, probe: Probe) -> None:
    before = _stored()

    response = send(probe)

    assert response.status_code == 400, response.content[:300]
    if probe.is_api:
        error = response.json()["error"]
        assert error["code"] == "invalid_characters"
        assert error["fields"][0]["code"] == "unstorable_character"
    else:
        assert response["Content-Type"].startswith("text/html")
        assert b"characters that cannot be stored" in response.content
    assert _stored() == before


def test_the_api_error_names_where_the_character_is(send: Any) -> None:
    response = send(Probe("POST", "/api/v1/customers", json={"full_name": "An", "addresses": [{"street": "\x00"}]}))

    assert response.status_code == 400
    assert response.json()["error"]["fields"][0]["field"] == "body.addresses.0.street"


@pytest.mark.vietnamese
def test_the_page_is_translated(send: Any) -> None:
    response = send(Probe("GET", "/console/customers/?q=%00"))

    assert response.status_code == 400
    assert "ký tự không thể lưu" in response.content.decode()


def test_text_that_only_looks_like_a_nul_is_stored(send: Any) -> None:
    # An escaped backslash ("\\u0000" is the six characters \u0000) and a surrogate pair (an emoji) are fine.
    body = '{"full_name": "An \\\\u0000 \\ud83d\\ude00", "phone": "0901234567"}'

    response = send(Probe("POST", "/api/v1/customers", raw_json=body))

    assert response.status_code == 201, response.content
    assert Customer.objects.get().full_name == "An \\u0000 😀"
