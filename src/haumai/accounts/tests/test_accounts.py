"""Roles, API tokens and the createadmin command."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from haumai.accounts.models import ApiToken, User
from haumai.accounts.selectors import can_see_pii
from haumai.accounts.services import (
    TokenInvalid,
    authenticate_token,
    create_api_token,
    create_staff_user,
    revoke_api_token,
)
from haumai.core import clock
from haumai.core.errors import Forbidden, ValidationFailed

pytestmark = pytest.mark.django_db


def test_roles_exist_with_their_permissions() -> None:
    names = set(Group.objects.values_list("name", flat=True))
    assert {"agent", "technician", "warehouse", "manager", "admin"} <= names
    agent = create_staff_user(username="a", password="x" * 10, role="agent")
    warehouse = create_staff_user(username="w", password="x" * 10, role="warehouse")
    assert agent.has_perm("customers.change_customer")
    assert not warehouse.has_perm("customers.change_customer")
    assert can_see_pii(agent) and not can_see_pii(warehouse)
    assert agent.has_role("agent") and not agent.has_role("manager")


def test_unknown_role_is_refused_and_nothing_created() -> None:
    with pytest.raises(ValidationFailed, match="Unknown role"):
        create_staff_user(username="z", password="x" * 10, role="boss")
    assert not User.objects.filter(username="z").exists()


class TestApiToken:
    def test_only_a_hash_is_stored_and_it_authenticates(self) -> None:
        user = create_staff_user(username="m", password="x" * 10, role="manager")
        token, raw = create_api_token(actor=user, user=user, name="POS")
        assert raw not in token.token_hash and len(token.token_hash) == 64
        assert authenticate_token(raw).user == user

    def test_expired_token_is_refused_with_the_date(self) -> None:
        clock.freeze(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        user = create_staff_user(username="m", password="x" * 10, role="manager")
        _, raw = create_api_token(actor=user, user=user, name="POS", days=30)
        clock.advance(dt.timedelta(days=31))
        with pytest.raises(TokenInvalid, match="expired on 2026-01-31"):
            authenticate_token(raw)

    def test_revoked_or_unknown_token_is_refused(self) -> None:
        user = create_staff_user(username="m", password="x" * 10, role="manager")
        token, raw = create_api_token(actor=user, user=user, name="POS")
        revoke_api_token(actor=user, token=token)
        for candidate in (raw, "hm_unknown", "", "x" * 1000):
            with pytest.raises(TokenInvalid):
                authenticate_token(candidate)

    def test_agent_cannot_issue_token_for_someone_else(self) -> None:
        agent = create_staff_user(username="a", password="x" * 10, role="agent")
        other = create_staff_user(username="b", password="x" * 10, role="agent")
        with pytest.raises(Forbidden):
            create_api_token(actor=agent, user=other, name="x")
        assert ApiToken.objects.count() == 0


class TestCreateAdmin:
    def test_creates_superuser(self) -> None:
        call_command("createadmin", "--username", "boss", "--password", "long-enough-1")
        user = User.objects.get(username="boss")
        assert user.is_superuser and user.check_password("long-enough-1") and user.has_role("admin")

    def test_short_password_is_refused(self) -> None:
        with pytest.raises(CommandError, match="at least 8"):
            call_command("createadmin", "--username", "boss", "--password", "short")
        assert not User.objects.filter(username="boss").exists()
