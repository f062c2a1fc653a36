"""Shared pytest fixtures: staff users per role, API tokens, an API client, and the clock."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from haumai.core import clock

pytest_plugins = ["haumai.testing.browser"]


def _unpooled_connections() -> None:
    """In-process tests use plain connections, not the per-process psycopg pool.

    The pool is sized for one server process (HAUMAI_DB_POOL_SIZE, default 8). The concurrency tests start
    up to 30 threads that each hold a connection, so with the pool they queued for 20 s and failed, and a
    thread that ended without closing kept its pooled connection checked out for the rest of the run. The
    server processes the tests start (tests/test_processes.py, test_serve_url.py) keep the pool.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database.get("OPTIONS", {}).pop("pool", None) is not None:
        database["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def _codes_start_at_one(request: Any) -> None:
    """Every database test sees codes start at 000001, as a fresh database would.

    On PostgreSQL codes come from database sequences, which a test's rollback does not rewind.
    """
    from django.db import connection

    uses_database = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if not uses_database or connection.vendor != "postgresql":
        return
    from haumai.core.codes import reset_codes

    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        reset_codes()


@pytest.fixture(autouse=True)
def _unfreeze_clock() -> Iterator[None]:
    yield
    clock.unfreeze()


@pytest.fixture(autouse=True)
def _english_unless_marked(request: Any, settings: Any) -> Iterator[None]:
    """Tests assert English messages; tests marked `vietnamese` run with the product default (vi)."""
    from django.utils import translation

    if request.node.get_closest_marker("vietnamese"):
        yield
        return
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _bot_only_where_tested(request: Any, settings: Any) -> None:
    """The bot (on by default in the product) answers chat messages only in its own tests.

    Once a chat message is committed the bot answers it, so a support test that counts a ticket's messages
    or an agent's replies would count the bot's too. The bot's tests, and tests marked `bot`, keep it on.
    """
    if request.node.get_closest_marker("bot") or request.node.path.parent.parent.name == "bot":
        return
    settings.HAUMAI_BOT_ENABLED = "0"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    # Hashing strength is Django's concern; tests only need passwords to round-trip.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_staff(db: Any) -> Any:
    """Factory: make_staff('agent') -> a user in that role."""
    from haumai.accounts.services import create_staff_user

    counter = {"n": 0}

    def make(role: str, username: str | None = None) -> Any:
        counter["n"] += 1
        return create_staff_user(username=username or f"{role}{counter['n']}", password="s3cret-pass-123", role=role)

    return make


@pytest.fixture
def api_client_for(make_staff: Any) -> Any:
    """Factory: api_client_for('manager') -> a Django test client sending that role's bearer token."""
    from haumai.accounts.services import create_api_token

    def make(role: str) -> Client:
        user = make_staff(role)
        _, raw = create_api_token(actor=user, user=user, name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[Any]) -> None:
    """Every transactional test gets serialized rollback, and the tests that drive Chromium run last.

    A transactional test ends with a flush. Without serialized rollback the flush re-creates content
    types and role groups under new ids, so a later serialized-rollback test collides while restoring
    them; and the tests after it would lose the data migrations (roles, provinces, carriers, templates,
    built-in journeys, return policies).

    The browser is one Playwright session for the whole run, with its own threads and a pipe to its
    driver. A test that forks worker processes after it started (the demo generator's) can deadlock in
    the child on a lock one of those threads held, and the children keep the driver's pipe open, so the
    session cannot close either: both hung for the 300 s timeout in a CI run. Running every browser test
    after all the others (after pytest-django's own ordering) means nothing forks while it runs.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}), append=False)
    uses_browser = [item for item in items if "browser" in getattr(item, "fixturenames", ())]
    if uses_browser:
        chosen = {id(item) for item in uses_browser}
        items[:] = [item for item in items if id(item) not in chosen] + uses_browser


_serialized_contents: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any) -> None:
    """Keep the serialized test database (for serialized rollback) beside the connection objects.

    After a Playwright page has run, the test thread can get a new connection object for the same
    database, without the `_test_serialized_contents` Django put on the first one; Django then skips the
    restore and the test starts on an empty database (agents without permissions).
    """
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            _serialized_contents[alias] = contents


def pytest_configure(config: Any) -> None:
    _unpooled_connections()
    from django.test import TransactionTestCase

    original = TransactionTestCase.__dict__["_fixture_setup"]
    function = original.__func__ if isinstance(original, classmethod) else original

    def fixture_setup(self_or_class: Any) -> None:
        from django.db import connections

        for alias, contents in _serialized_contents.items():
            if not hasattr(connections[alias], "_test_serialized_contents"):
                connections[alias]._test_serialized_contents = contents
        function(self_or_class)

    patched = classmethod(fixture_setup) if isinstance(original, classmethod) else fixture_setup
    TransactionTestCase._fixture_setup = patched  # type: ignore[method-assign,assignment]
