"""The console's own registrations: the home page and the "go to a page" actions of the palette."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from haumai.console.selectors import page_actions
from haumai.core.registry import NavEntry, SearchProvider, register_nav, register_search

register_nav(NavEntry(key="console.home", area="home", label=_("Home"), url_name="console:home", icon="house", order=0))
# Sidebar pages whose label holds every typed word, without diacritics: "nhan hang" -> Receiving.
register_search(SearchProvider(key="console.pages", label=_("Go to"), search=page_actions, order=900))
