"""403, 404 and 500 pages: styled, translated, the console's or the portal's by path (DEBUG is off in tests)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import path

from haumai import error_views
from haumai.urls import urlpatterns as haumai_urlpatterns


def _boom(request: HttpRequest) -> None:
    raise RuntimeError("boom")


def _denied(request: HttpRequest) -> None:
    raise PermissionDenied


urlpatterns = [
    path("console/test-boom/", _boom),
    path("portal/test-boom/", _boom),
    path("console/test-denied/", _denied),
    path("portal/test-denied/", _denied),
    *haumai_urlpatterns,
]
handler403 = error_views.permission_denied
handler404 = error_views.page_not_found
handler500 = error_views.server_error


def test_debug_is_off_in_tests(settings: Any) -> None:
    assert settings.DEBUG is False


@pytest.mark.django_db
@pytest.mark.vietnamese
def test_console_404_is_translated_and_shows_the_navigation_when_signed_in(client: Client, make_staff: Any) -> None:
    client.force_login(make_staff("agent"))
    response = client.get("/console/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy trang" in body
    assert "Đăng xuất" in body  # the console's navigation bar: signed in
    assert 'href="/console/"' in body


@pytest.mark.django_db
@pytest.mark.vietnamese
def test_console_404_for_a_visitor_has_no_staff_navigation(client: Client) -> None:
    response = client.get("/console/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy trang" in body
    assert "Đăng xuất" not in body


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
@pytest.mark.vietnamese
def test_console_403_is_the_forbidden_page_with_navigation(client: Client, make_staff: Any) -> None:
    client.force_login(make_staff("warehouse"))
    response = client.get("/console/test-denied/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Bạn không có quyền mở trang này." in body
    assert "Đăng xuất" in body
    assert response.templates[0].name == "console/forbidden.html"


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
def test_portal_pages_use_the_portal_look(client: Client) -> None:
    missing = client.get("/portal/no-such-page/")
    denied = client.get("/portal/test-denied/")
    assert missing.status_code == 404 and denied.status_code == 403
    assert [t.name for t in missing.templates][:2] == ["portal/errors/error.html", "portal/base.html"]
    assert "Page not found" in missing.content.decode()
    assert "No access" in denied.content.decode()
    assert "portal/portal.css" in missing.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
@pytest.mark.vietnamese
def test_a_crash_gives_the_styled_500_page_of_its_area(client: Client) -> None:
    client.raise_request_exception = False
    console = client.get("/console/test-boom/")
    portal = client.get("/portal/test-boom/")
    assert console.status_code == 500 and portal.status_code == 500
    assert "Đã xảy ra lỗi" in console.content.decode()
    assert "console/console.css" in console.content.decode()
    assert "portal/portal.css" in portal.content.decode()
    assert "boom" not in console.content.decode()


def test_the_500_page_renders_without_a_database_or_request_context() -> None:
    # No django_db mark: pytest-django makes any query raise. A bare request: no session, no user.
    request = RequestFactory().get("/console/anything/")
    response = error_views.server_error(request)
    assert response.status_code == 500
    assert b"500" in response.content
    assert b"Something went wrong" in response.content


def test_api_paths_get_the_api_error_shape() -> None:
    response = error_views.page_not_found(RequestFactory().get("/api/v1/nothing-here"))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.content.startswith(b'{"error": {"code": "not_found"')


@pytest.mark.django_db
def test_a_host_header_that_is_no_host_name_is_a_400_in_the_api_error_shape_under_api(client: Client) -> None:
    api = client.get("/api/v1/customers", headers={"host": "X>-"})
    assert api.status_code == 400
    assert api["Content-Type"] == "application/json"
    assert api.json()["error"]["code"] == "bad_request"
    console = client.get("/console/", headers={"host": "X>-"})
    assert console.status_code == 400
    assert console["Content-Type"].startswith("text/html")
