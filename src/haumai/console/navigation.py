"""The console sidebar: what the apps registered (`<app>/ui.py`), filtered by role, grouped by area.

Built once per request and only when a template asks for it (htmx partials never pay for it). The
waiting-work counts are not part of the page: the shell fetches them from `nav_counts` after load
and every minute, so a page's own query count does not grow with the number of modules, and the
badges stay current without a reload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from haumai.core.registry import AREAS, NavEntry, registry

AREA_LABELS: dict[str, Any] = {
    "home": _("Overview"),
    "care": _("Customer care"),
    "aftersales": _("After-sales operations"),
    "proactive": _("Proactive care"),
    "reports": _("Reports"),
    "settings": _("Settings"),
}
# A count above this is shown as "99+": the badge says "there is work", not an exact figure.
COUNT_CAP = 99
_CACHE_ATTRIBUTE = "_haumai_sidebar"


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Any
    url: str
    icon: str
    active: bool = False
    has_count: bool = False


def count_label(count: int | None) -> str:
    """The badge text: '' (nothing waiting), '7' or '99+'."""
    if not count:
        return ""
    return f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)


@dataclass
class NavGroup:
    area: str
    label: Any
    items: list[NavItem] = field(default_factory=list)


def allowed_entries(user: Any) -> list[NavEntry]:
    """The registered entries this user may open, in area and registration order."""
    if not getattr(user, "is_authenticated", False):
        return []
    entries = [
        entry
        for entry in registry.nav.values()
        if (not entry.permission or user.has_perm(entry.permission)) and (entry.allowed is None or entry.allowed(user))
    ]
    return sorted(entries, key=lambda entry: (AREAS.index(entry.area), entry.order, entry.key))


def _prefixes(entry: NavEntry, url: str) -> tuple[str, ...]:
    return entry.active_prefixes or (url,)


def _matches(path: str, prefix: str, root: str) -> bool:
    # The console root is a prefix of every page: it is active only on itself.
    return path == prefix if prefix == root else path.startswith(prefix)


def active_key(path: str, urls: dict[str, tuple[NavEntry, str]]) -> str:
    """The one entry whose URL (or declared prefix) is the longest prefix of the path; '' if none."""
    root = reverse("console:home")
    best_key, best_length = "", -1
    for key, (entry, url) in urls.items():
        for prefix in _prefixes(entry, url):
            if _matches(path, prefix, root) and len(prefix) > best_length:
                best_key, best_length = key, len(prefix)
    return best_key


def sidebar(request: Any) -> list[NavGroup]:
    """The sidebar of this request: allowed entries with counts and one active item (cached per request)."""
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    user = request.user
    urls: dict[str, tuple[NavEntry, str]] = {}
    for entry in allowed_entries(user):
        try:
            urls[entry.key] = (entry, reverse(entry.url_name))
        except NoReverseMatch:  # an app registered a page it does not route: skip it rather than break every page
            continue
    active = active_key(request.path, urls)
    groups: dict[str, NavGroup] = {}
    for key, (entry, url) in urls.items():
        group = groups.setdefault(entry.area, NavGroup(area=entry.area, label=AREA_LABELS[entry.area]))
        has_count = entry.count is not None
        group.items.append(NavItem(key, entry.label, url, entry.icon, active=key == active, has_count=has_count))
    result = list(groups.values())
    setattr(request, _CACHE_ATTRIBUTE, result)
    return result


def nav_counts(user: Any) -> dict[str, int]:
    """Waiting work per allowed entry that counts (one cheap query each); entries answering None are left out."""
    counts: dict[str, int] = {}
    for entry in allowed_entries(user):
        if entry.count is None:
            continue
        value = entry.count(user)
        if value is not None:
            counts[entry.key] = int(value)
    return counts


def active_item(request: Any) -> NavItem | None:
    """The sidebar's active entry (the page header uses it as the parent breadcrumb)."""
    for group in sidebar(request):
        for item in group.items:
            if item.active:
                return item
    return None


def navigation(request: Any) -> dict[str, Any]:
    """Template context processor: the sidebar, evaluated only if the template renders it."""
    return {
        "console_nav": SimpleLazyObject(lambda: sidebar(request)),
        "console_active": SimpleLazyObject(lambda: active_item(request) or ""),
    }


def landing_url(user: Any) -> str:
    """The page a signed-in user lands on when a module registered one for their role ('' = console home)."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return ""
    roles = {group.name for group in user.groups.all()}
    for entry in allowed_entries(user):
        if roles.intersection(entry.landing_for):
            try:
                return reverse(entry.url_name)
            except NoReverseMatch:
                continue
    return ""
