"""/docs renders the API's operations with every request to anything but
the server itself blocked: Swagger UI is served by the server, not a CDN."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e


def test_docs_render_without_internet(browser, base_url):
    context = browser.new_context()
    outside: list[str] = []

    def only_this_server(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_server)
    page = context.new_page()
    try:
        page.goto(f"{base_url}/docs")
        page.wait_for_selector('[data-path="/api/v1/ScormApi/GetCmiData"]', timeout=15_000)
        assert page.locator(".opblock").count() >= 20
        # The security schemes make "Authorize" (and so "Try it out") usable.
        assert page.locator("button.authorize").count() == 1
    finally:
        context.close()
    assert outside == []
