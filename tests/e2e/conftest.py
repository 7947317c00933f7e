"""Browser tests: Debian's Chromium driven by Playwright against the test
server of tests/conftest.py.

The real SCORM packages are third-party and stay outside the project: they
are found through SCORMAPI_FIXTURES (default ../shared/fixtures/scorm next to
the project). Missing, they skip these tests with the reason, except under
CI=true, where a missing fixture or browser is a failure.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from tests.world import PASSWORD

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)


def fixtures_dir() -> Path:
    configured = os.environ.get("SCORMAPI_FIXTURES")
    return Path(configured) if configured else PROJECT_ROOT.parent / "shared" / "fixtures" / "scorm"


@pytest.fixture(scope="session")
def scorm_fixture():
    """The path of a real package from the fixtures folder, by file name."""

    def find(name: str) -> Path:
        path = fixtures_dir() / name
        if not path.is_file():
            _unavailable(f"SCORM fixture {name} not found in {fixtures_dir()} (set SCORMAPI_FIXTURES)")
        return path

    return find


@pytest.fixture(scope="session")
def browser():
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        _unavailable("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class LearnerBrowser:
    """One learner's browser tab. Content dialogs (confirm "resume?", "save
    progress?") are accepted; every dialog text is kept for assertions."""

    def __init__(self, context, base_url: str):
        self.context = context
        self.base_url = base_url
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.page = self.new_page()

    def new_page(self):
        page = self.context.new_page()
        page.on("dialog", self._accept)
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))
        page.on("request", lambda req: self.console.append(f"request: {req.method} {req.url} {(req.post_data or '')[:300]}") if "Commit" in req.url else None)
        return page

    def _accept(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.accept()

    def sign_in(self, login: str, password: str = PASSWORD) -> None:
        self.page.goto(f"{self.base_url}/login")
        self.page.fill("#login", login)
        self.page.fill("#password", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(f"{self.base_url}/learn")

    def wait_state(self, *states: str, timeout: float = 10_000) -> None:
        """Until the player's save indicator shows one of ``states``."""
        selector = ", ".join(f'#save-state[data-state="{s}"]' for s in states)
        self.page.wait_for_selector(selector, state="attached", timeout=timeout)

    def content(self, page=None):
        """The lesson's frame: inside the run-time page (content origin),
        inside the shell (main origin)."""
        return (page or self.page).frame_locator("#lesson-frame").frame_locator("#content-frame")

    def runtime(self, page=None):
        """The run-time page's frame, where ``window.API`` lives."""
        page = page or self.page
        page.locator("#lesson-frame").wait_for(state="attached")
        handle = page.locator("#lesson-frame").element_handle()
        frame = handle.content_frame()
        frame.wait_for_load_state("domcontentloaded")
        return frame

    def api(self, expression: str, page=None):
        """``expression`` evaluated in the run-time page, e.g. "window.API.LMSGetValue('cmi.core.entry')"."""
        return self.runtime(page).evaluate(expression)

    def errors(self) -> list[str]:
        return [d for d in self.dialogs if "error" in d.lower()]


@pytest.fixture()
def learner_browser(browser, base_url, request):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = LearnerBrowser(context, base_url)
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        # What the browser said is the first thing to read when a run fails.
        print("\n".join(["browser console:", *tab.console, "dialogs:", *tab.dialogs]))
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
