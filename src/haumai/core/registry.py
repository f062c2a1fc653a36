"""What each app shows in the console: navigation, search, customer-360 panels, timeline sentences.

An app registers its entries in its own `ui.py` module (imported by the console shell at start-up
through `django.utils.module_loading.autodiscover_modules("ui")`), so a new module adds pages,
search results, panels and readable events without editing a central template (DESIGN.md §4).
This module holds only the registries and their types; it imports no app. The console renders them.

Labels are lazy translations (`gettext_lazy`) so they follow the request's language.
Icons are names from the vendored SVG icon set (Lucide names: "users", "package", "shield-check",
"wrench", "inbox", "truck", "receipt", "settings", ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Areas of the sidebar, in display order. Keys are stable; labels are translated by the shell.
AREAS = ("home", "care", "aftersales", "proactive", "reports", "settings")


@dataclass(frozen=True)
class NavEntry:
    """One page in the sidebar."""

    key: str  # unique, "<app>.<page>", e.g. "returns.queue"
    area: str  # one of AREAS
    label: Any  # lazy translated string
    url_name: str  # reversed without arguments, e.g. "returns:queue"
    icon: str
    permission: str = ""  # "app.codename"; empty means any signed-in staff user
    order: int = 100  # position inside the area
    # Paths that make this entry the active one; default: the reversed URL as a prefix.
    active_prefixes: tuple[str, ...] = ()
    # Waiting work shown as a badge: called with the user, returns a count or None. Must be cheap
    # (one indexed COUNT, capped), it runs on every console page.
    count: Callable[[Any], int | None] | None = None
    allowed: Callable[[Any], bool] | None = None  # extra check beyond the permission (e.g. is_staff)
    # Roles (group names) that land on this page after signing in, instead of the console home.
    landing_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchHit:
    """One result of the global search / command palette."""

    kind: Any  # lazy label of the result type, e.g. _("Return")
    title: str  # e.g. "RMA-2026-000123"
    url: str
    subtitle: str = ""  # e.g. "Nguyễn Văn An · đã nhận hàng"
    icon: str = ""
    score: float = 0.0  # higher first; 1.0 = exact code match


@dataclass(frozen=True)
class SearchProvider:
    """Finds records for the global search. `search(query, user, limit)` returns hits, best first."""

    key: str
    label: Any
    search: Callable[[str, Any, int], list[SearchHit]]
    permission: str = ""
    order: int = 100


@dataclass(frozen=True)
class CustomerPanel:
    """A section of the customer 360. `context(request, customer)` returns the template's context."""

    key: str  # also the section's HTML id
    title: Any
    template: str
    context: Callable[[Any, Any], dict[str, Any]]
    permission: str = ""
    column: str = "main"  # "main" (wide) or "side"
    order: int = 100


@dataclass(frozen=True)
class TimelineEntry:
    """An event as staff read it."""

    text: str  # a sentence in the current language
    icon: str = "circle"
    url: str = ""  # the subject's page, when there is one
    tone: str = "neutral"  # neutral | success | warning | danger | info
    # The part of `text` that links to `url` (usually the subject's code); empty links the whole sentence.
    link_text: str = ""


@dataclass(frozen=True)
class EventSentence:
    """How to say one event type (or a prefix ending in '*'): `describe(event)` -> TimelineEntry."""

    name: str
    describe: Callable[[Any], TimelineEntry]


@dataclass
class Registry:
    nav: dict[str, NavEntry] = field(default_factory=dict)
    search: dict[str, SearchProvider] = field(default_factory=dict)
    panels: dict[str, CustomerPanel] = field(default_factory=dict)
    sentences: dict[str, EventSentence] = field(default_factory=dict)


registry = Registry()


def register_nav(*entries: NavEntry) -> None:
    """Add pages to the sidebar (re-registering a key replaces it)."""
    for entry in entries:
        if entry.area not in AREAS:
            raise ValueError(f"unknown navigation area {entry.area!r}; use one of {AREAS}")
        registry.nav[entry.key] = entry


def register_search(*providers: SearchProvider) -> None:
    """Add search providers to the global search and the command palette."""
    for provider in providers:
        registry.search[provider.key] = provider


def register_panel(*panels: CustomerPanel) -> None:
    """Add sections to the customer 360."""
    for panel in panels:
        registry.panels[panel.key] = panel


def register_sentence(name: str, describe: Callable[[Any], TimelineEntry]) -> None:
    """Say an event type as a sentence; `name` may end in '*' to cover a prefix (`return.*`)."""
    registry.sentences[name] = EventSentence(name=name, describe=describe)


def sentence_for(name: str) -> EventSentence | None:
    """The registered sentence for an event name: exact first, then the longest matching prefix."""
    exact = registry.sentences.get(name)
    if exact is not None:
        return exact
    best: EventSentence | None = None
    for key, sentence in registry.sentences.items():
        if key.endswith("*") and name.startswith(key[:-1]) and (best is None or len(key) > len(best.name)):
            best = sentence
    return best
