"""Each staff user's permissions and roles, cached per process and never stale.

Every request loads its user row anyway (session or API token). The row carries `permissions_version`,
which the signals below bump in the same transaction as any change to what the user may do: their
groups (roles), a role's permissions, their own permissions, or a role being deleted. The cache is keyed
by (user, version, superuser, active), so a process answers from memory only for the version it has just read
from the database, whichever process made the change; nothing has to be told to forget. Versions start
at a random number, so a primary key that SQLite reuses after a rollback never meets an old entry.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models import F
from django.db.models.signals import m2m_changed, pre_delete

LIMIT = 4096  # entries per process (a few hundred bytes each)


@dataclass(frozen=True)
class Access:
    """What one version of a user may do: permission names ("app.codename") and role names."""

    permissions: frozenset[str]
    roles: frozenset[str]


_entries: OrderedDict[tuple[int, int, bool, bool], Access] = OrderedDict()
_lock = threading.Lock()


def new_version() -> int:
    """The starting permissions_version of a new user."""
    return secrets.randbits(62)


def access_for(user: Any) -> Access:
    """The cached access of a saved user (an inactive user has its roles but no permissions)."""
    key = (user.pk, user.permissions_version, user.is_superuser, user.is_active)
    with _lock:
        found = _entries.get(key)
        if found is not None:
            _entries.move_to_end(key)
            return found
    found = _look_up(user)
    with _lock:
        _entries[key] = found
        while len(_entries) > LIMIT:
            _entries.popitem(last=False)
    return found


def _look_up(user: Any) -> Access:
    """Two queries: the user's roles with their permissions, and the user's own permissions."""
    rows = list(user.groups.values_list("name", "permissions__content_type__app_label", "permissions__codename"))
    roles = frozenset(name for name, _, _ in rows)
    if not user.is_active:
        return Access(permissions=frozenset(), roles=roles)
    if user.is_superuser:
        everything = Permission.objects.values_list("content_type__app_label", "codename")
        return Access(permissions=frozenset(f"{app}.{code}" for app, code in everything), roles=roles)
    permissions = {f"{app}.{code}" for _, app, code in rows if app}
    own = user.user_permissions.values_list("content_type__app_label", "codename")
    permissions.update(f"{app}.{code}" for app, code in own)
    return Access(permissions=frozenset(permissions), roles=roles)


def _bump(user_ids: Iterable[int]) -> None:
    from haumai.accounts.models import User

    ids = list(user_ids)
    if ids:
        User.objects.filter(pk__in=ids).update(permissions_version=F("permissions_version") + 1)


def _users_of_groups(group_ids: Iterable[int]) -> list[int]:
    from haumai.accounts.models import User

    return list(User.objects.filter(groups__in=list(group_ids)).values_list("pk", flat=True).distinct())


def _refresh(instance: Any) -> None:
    """The in-memory user whose access just changed reads its new version (Django's own caches go too)."""
    from haumai.accounts.models import User

    if isinstance(instance, User) and instance.pk:
        instance.permissions_version = (
            User.objects.values_list("permissions_version", flat=True).filter(pk=instance.pk).first() or 0
        )
        for name in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
            instance.__dict__.pop(name, None)


def _user_groups_changed(sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:  # user.groups.add/remove/set/clear
        _bump([instance.pk])
        _refresh(instance)
    elif action == "pre_clear":  # group.user_set.clear()
        _bump(instance.user_set.values_list("pk", flat=True))
    else:  # group.user_set.add/remove
        _bump(pk_set or [])


def _group_permissions_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:  # group.permissions.add/remove/set/clear
        _bump(_users_of_groups([instance.pk]))
    elif action == "pre_clear":  # permission.group_set.clear()
        _bump(_users_of_groups(instance.group_set.values_list("pk", flat=True)))
    else:  # permission.group_set.add/remove
        _bump(_users_of_groups(pk_set or []))


def _user_permissions_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        _bump([instance.pk])
        _refresh(instance)
    elif action == "pre_clear":
        _bump(instance.user_set.values_list("pk", flat=True))
    else:
        _bump(pk_set or [])


def _group_deleted(sender: Any, instance: Group, **kwargs: Any) -> None:
    _bump(_users_of_groups([instance.pk]))


def _permission_deleted(sender: Any, instance: Permission, **kwargs: Any) -> None:
    from haumai.accounts.models import User

    holders = set(_users_of_groups(instance.group_set.values_list("pk", flat=True)))
    holders |= set(User.objects.filter(user_permissions=instance).values_list("pk", flat=True))
    _bump(holders)


def connect() -> None:
    """Called from AccountsConfig.ready()."""
    from haumai.accounts.models import User

    m2m_changed.connect(_user_groups_changed, sender=User.groups.through, dispatch_uid="haumai.access.groups")
    m2m_changed.connect(
        _group_permissions_changed, sender=Group.permissions.through, dispatch_uid="haumai.access.group_perms"
    )
    m2m_changed.connect(
        _user_permissions_changed, sender=User.user_permissions.through, dispatch_uid="haumai.access.user_perms"
    )
    pre_delete.connect(_group_deleted, sender=Group, dispatch_uid="haumai.access.group_deleted")
    pre_delete.connect(_permission_deleted, sender=Permission, dispatch_uid="haumai.access.permission_deleted")
