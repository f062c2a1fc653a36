"""Permissions and roles come from a per-process cache that is never stale (issue 17)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from haumai.accounts import access
from haumai.accounts.models import User
from haumai.accounts.services import create_api_token, create_staff_user

pytestmark = pytest.mark.django_db
PASSWORD = "s3cret-pass-123"


def fresh(user: User) -> User:
    """The user as the next request would load it (a new instance, the row's current version)."""
    return User.objects.get(pk=user.pk)


def test_a_second_request_checks_permissions_without_a_query(django_assert_num_queries: Any) -> None:
    user = create_staff_user(username="lan", password=PASSWORD, role="agent")
    assert fresh(user).has_perm("customers.view_customer")
    again = fresh(user)
    with django_assert_num_queries(0):
        assert again.has_perm("customers.view_customer")
        assert not again.has_perm("accounts.add_user")
        assert again.has_role("agent") and not again.has_role("manager")


def test_a_role_change_is_seen_at_once(django_assert_num_queries: Any) -> None:
    user = create_staff_user(username="minh", password=PASSWORD, role="agent")
    assert not fresh(user).has_perm("messaging.change_template")
    assert fresh(user).has_role("agent")
    user.groups.set([Group.objects.get(name="manager")])
    assert fresh(user).has_perm("messaging.change_template")
    assert fresh(user).has_role("manager") and not fresh(user).has_role("agent")
    assert user.has_role("manager")  # the instance that made the change too


def test_changing_a_roles_permissions_reaches_its_members() -> None:
    user = create_staff_user(username="hoa", password=PASSWORD, role="agent")
    group = Group.objects.get(name="agent")
    permission = Permission.objects.get(content_type__app_label="accounts", codename="add_user")
    assert not fresh(user).has_perm("accounts.add_user")
    group.permissions.add(permission)
    assert fresh(user).has_perm("accounts.add_user")
    permission.group_set.remove(group)  # from the other side of the relation
    assert not fresh(user).has_perm("accounts.add_user")
    group.user_set.clear()
    assert not fresh(user).has_role("agent")


def test_own_permissions_deletions_and_deactivation_count() -> None:
    user = create_staff_user(username="tuan", password=PASSWORD, role="warehouse")
    permission = Permission.objects.get(content_type__app_label="accounts", codename="add_user")
    assert not fresh(user).has_perm("accounts.add_user")
    user.user_permissions.add(permission)
    assert fresh(user).has_perm("accounts.add_user")
    assert fresh(user).has_role("warehouse")
    Group.objects.get(name="warehouse").delete()
    assert not fresh(user).has_role("warehouse")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not fresh(user).has_perm("accounts.add_user")


def test_a_reused_primary_key_never_meets_an_old_entry() -> None:
    """SQLite can give a rolled-back user's id to the next one; versions start at random."""
    first = create_staff_user(username="a", password=PASSWORD, role="admin")
    assert fresh(first).has_perm("accounts.add_user")
    impostor = User(pk=first.pk, username="b", is_active=True)  # the same id, a new row's version
    assert impostor.permissions_version != first.permissions_version
    assert access.access_for(fresh(first)).permissions  # cached for the first user's version
    assert impostor.has_role("admin")  # the row's groups, looked up anew for the impostor's version
    assert (impostor.pk, impostor.permissions_version, False, True) in access._entries


def test_api_requests_do_not_query_permissions(django_assert_num_queries: Any) -> None:
    user = create_staff_user(username="api", password=PASSWORD, role="agent")
    _, raw = create_api_token(actor=user, user=user, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/customers").status_code == 200
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/customers").status_code == 200
    statements = " ".join(query["sql"] for query in queries.captured_queries)
    assert "auth_permission" not in statements and "auth_group" not in statements
