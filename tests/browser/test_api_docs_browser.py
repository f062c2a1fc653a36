"""/api/v1/docs renders in Chromium with every request outside this server blocked (no CDN).

It lives here, with the session-wide browser of tests/browser, because a second sync Playwright
cannot start in the same thread while that session's loop runs.
"""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_with_no_network_beyond_this_server(live_server: Any, page: Any) -> None:
    outside: list[str] = []

    def only_local(route: Any) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(live_server.url + "/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Haumai API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".swagger-ui .opblock")  # the operations of the schema are listed
    assert outside == []
