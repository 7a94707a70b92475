"""Real Chromium against pytest-django's live server.

Playwright's sync API drives Debian's ``/usr/bin/chromium`` (never a browser that
``playwright install`` downloads). Each test gets a fresh browser context; a test
fails when the page breaks its Content Security Policy or throws an uncaught error.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, expect, sync_playwright

from sinergi.accounts import demo as accounts_demo
from sinergi.core.context import acting_as
from sinergi.registry.models import OrganisationKind
from sinergi.territory import demo as territory_demo
from sinergi.territory.models import Region

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Runs before the page's own scripts (the policy does not apply to it) and turns every
# violation into a console error, in case the browser's own report is missed.
REPORT_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`);
});
"""

expect.set_options(timeout=15_000)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/test does when run as root).")
    with pytest.MonkeyPatch.context() as patch:
        # The sync API keeps an asyncio loop on this thread, so Django would take the test
        # body for async code and refuse its ORM calls. The module scope ends the loop before
        # tests of other modules run.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A page in a fresh context (no cookies) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_init_script(REPORT_CSP)
    page = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and ("Content Security Policy" in message.text or "CSP violation" in message.text):
            problems.append(f"{page.url}: {message.text}")

    def on_page_error(error: Error) -> None:
        problems.append(f"{page.url}: uncaught {error.name}: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    yield page
    context.close()
    if problems:
        pytest.fail("The browser reported:\n" + "\n".join(problems))


@pytest.fixture
def demo_jakarta(transactional_db: None) -> Iterator[Region]:
    """The real Jakarta territory, its government units and the demo logins (about 5 s).

    Live-server tests commit their data and the database is emptied after each test,
    so every test that needs it loads it again.
    """
    with acting_as(None, channel="system"):
        # The kinds come from a data migration; an earlier live-server test emptied the tables.
        if not OrganisationKind.objects.exists():
            import_module("sinergi.registry.migrations.0002_organisation_kinds").create_kinds(django_apps, None)
        territory_demo.load_jakarta()
        territory_demo.generate_rw_rt()
        province = Region.objects.get(code=territory_demo.JAKARTA_CODE)
        accounts_demo.create_units(province)
        accounts_demo.create_logins()
    yield province
    # Counts and boundaries are cached in the database cache table, which emptying the
    # database leaves alone; later tests must not read this territory's numbers.
    cache.clear()
