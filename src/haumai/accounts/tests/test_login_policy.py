"""One login policy for every entry point: console login, admin login (lockout per account and per address)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client
from django.urls import reverse

from haumai.accounts.models import LoginFailure

PASSWORD = "s3cret-pass-123"
CONSOLE_LOGIN = "/console/login/"
ADMIN_LOGIN = "/admin/login/"


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast in tests) that counts password checks and takes 50 ms, like a real hasher, to widen races."""

    algorithm = "md5"
    checks = 0
    lock = threading.Lock()

    def verify(self, password: str, encoded: str) -> bool:
        with CountingHasher.lock:
            CountingHasher.checks += 1
        time.sleep(0.05)
        return super().verify(password, encoded)


@pytest.fixture
def counting_hasher(settings: Any) -> type[CountingHasher]:
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.checks = 0
    return CountingHasher


def logged_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
class TestAdminLoginFollowsThePolicy:
    def test_console_lockout_holds_at_the_admin_login(self, make_staff: Any) -> None:
        manager = make_staff("manager")
        for _ in range(5):
            Client().post(CONSOLE_LOGIN, {"username": manager.username, "password": "wrong"})
        client = Client()
        response = client.post(ADMIN_LOGIN, {"username": manager.username, "password": PASSWORD, "next": "/admin/"})
        assert response.status_code == 200
        assert logged_in_user_id(client) is None
        assert "Too many failed attempts" in response.content.decode()
        assert client.get("/console/").status_code == 302

    def test_admin_login_failures_are_counted_and_lock(self, make_staff: Any) -> None:
        manager = make_staff("manager")
        answers = [
            Client().post(ADMIN_LOGIN, {"username": manager.username, "password": f"wrong-{n}"}).content.decode()
            for n in range(15)
        ]
        assert LoginFailure.objects.filter(username=manager.username).count() == 5
        assert all("Too many failed attempts" in answer for answer in answers[5:])
        client = Client()
        client.post(CONSOLE_LOGIN, {"username": manager.username, "password": PASSWORD})
        assert logged_in_user_id(client) is None

    def test_the_right_password_at_the_admin_login_clears_earlier_failures(self, make_staff: Any) -> None:
        manager = make_staff("manager")
        for _ in range(3):
            Client().post(ADMIN_LOGIN, {"username": manager.username, "password": "wrong"})
        client = Client()
        response = client.post(ADMIN_LOGIN, {"username": manager.username, "password": PASSWORD, "next": "/admin/"})
        assert response.status_code == 302
        assert logged_in_user_id(client) == str(manager.pk)
        assert not LoginFailure.objects.filter(username=manager.username).exists()

    def test_one_address_is_locked_after_twenty_failures_across_usernames(self, make_staff: Any) -> None:
        agent = make_staff("agent")
        for n in range(20):
            Client().post(CONSOLE_LOGIN, {"username": f"guess{n}", "password": "wrong"})
        client = Client()
        response = client.post(CONSOLE_LOGIN, {"username": agent.username, "password": PASSWORD})
        assert response.status_code == 200 and logged_in_user_id(client) is None
        other_address = Client(REMOTE_ADDR="10.0.0.9")
        assert other_address.post(CONSOLE_LOGIN, {"username": agent.username, "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
class TestLoginPages:
    def test_an_empty_console_login_form_says_what_is_missing(self) -> None:
        response = Client().post(CONSOLE_LOGIN, {"username": "", "password": ""})
        assert response.status_code == 200
        assert response.content.decode().count("This field is required.") == 2

    def test_an_agent_opening_the_admin_is_told_why_it_is_refused(self, make_staff: Any) -> None:
        agent = make_staff("agent")
        client = Client()
        assert client.login(username=agent.username, password=PASSWORD)
        response = client.get("/admin/", follow=True)
        assert response.status_code == 403
        page = response.content.decode()
        assert "only for managers and administrators" in page
        assert reverse("console:home") in page

    @pytest.mark.vietnamese
    def test_the_refusal_is_translated(self, make_staff: Any) -> None:
        agent = make_staff("agent")
        client = Client()
        assert client.login(username=agent.username, password=PASSWORD)
        response = client.get(ADMIN_LOGIN)
        assert response.status_code == 403
        assert "quản lý" in response.content.decode()

    def test_a_manager_still_reaches_the_admin(self, make_staff: Any) -> None:
        manager = make_staff("manager")
        client = Client()
        assert client.login(username=manager.username, password=PASSWORD)
        assert client.get("/admin/").status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("entry_point", [CONSOLE_LOGIN, ADMIN_LOGIN])
def test_parallel_logins_check_at_most_five_passwords(
    make_staff: Any, counting_hasher: type[CountingHasher], entry_point: str
) -> None:
    manager = make_staff("manager")
    counting_hasher.checks = 0
    start = threading.Barrier(30, timeout=30)
    statuses: list[int] = []

    def attempt(number: int) -> None:
        try:
            client = Client()
            start.wait()
            response = client.post(entry_point, {"username": manager.username, "password": f"wrong-{number}"})
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(number,)) for number in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 30
    assert counting_hasher.checks <= 5
    assert LoginFailure.objects.filter(username=manager.username).count() == 5
    client = Client()
    client.post(CONSOLE_LOGIN, {"username": manager.username, "password": PASSWORD})
    assert logged_in_user_id(client) is None
