"""Fixtures for the browser tests: one Chromium for the whole run, a live archive per test."""

import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

from accounts.actions import create_account
from accounts.models import User
from e2e.helpers import CHROMIUM, DESKTOP, LAYOUT_SHIFT_SCRIPT, launch
from fanarchive.test import BaseTestCase
from search.engine import clear_search_index
from works import actions, hits
from works.filter_index import INDEX
from works.models import Chapter, Work

PASSWORD = BaseTestCase.password
CPU_THROTTLE = float(os.environ.get("E2E_CPU_THROTTLE") or 1)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: scripts/install_browser installs Debian's (./test runs it)")
    # Playwright's sync API keeps an asyncio loop in this thread, which Django mistakes for
    # async code; the ORM calls the tests make between browser steps are ordinary sync calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Archive:
    """The live archive of one test: its URL, Alice and Bob, and ways to add works and open browser tabs."""

    def __init__(self, url: str, browser: Browser) -> None:
        self.url = url
        self.browser = browser
        self.alice = create_account("alice", "alice@example.org", PASSWORD)
        self.bob = create_account("bob", "bob@example.org", PASSWORD)
        self.contexts: list[BrowserContext] = []

    def make_work(self, author: User | None = None, chapters: int = 1, **overrides: Any) -> Work:
        shim = cast(BaseTestCase, self)  # make_work needs nothing of a TestCase but `alice`
        work = BaseTestCase.make_work(shim, author, **overrides)
        for number in range(2, chapters + 1):
            text = f"Chapter {number} begins here.\n\nThe tide came in again, as it always does."
            actions.add_chapter(work, {"chapter_title": f"Part {number}", "content": text}, post=True)
        work.refresh_from_db()
        return work

    def context(
        self,
        user: User | None = None,
        viewport: ViewportSize = DESKTOP,
        color_scheme: Any = "light",
        javascript: bool = True,
    ) -> BrowserContext:
        context = self.browser.new_context(
            base_url=self.url, viewport=viewport, color_scheme=color_scheme, java_script_enabled=javascript
        )
        context.add_init_script(LAYOUT_SHIFT_SCRIPT)
        if CPU_THROTTLE > 1:
            # E2E_CPU_THROTTLE=4: every tab runs as on a CPU that many times slower (a busy machine, a cheap phone).

            def throttle(page: Page) -> None:
                context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": CPU_THROTTLE})

            context.on("page", throttle)
        context.set_default_timeout(10_000)
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": self.url}])
        self.contexts.append(context)
        return context


@pytest.fixture
def archive(browser: Browser, live_server: Any) -> Iterator[Archive]:
    # Every cache, the per-process ones too (archive settings and pages, blurbs): the tables they
    # describe were flushed after the last test.
    for alias in settings.CACHES:
        caches[alias].clear()
    hits.flush_hits()
    INDEX.reset()
    clear_search_index()
    # live_server flushes every table between tests, the seeded ratings and warnings too.
    seed = importlib.import_module("tags.migrations.0002_seed_fixed_tags")
    seed.seed(apps, None)
    archive = Archive(live_server.url, browser)
    yield archive
    for context in archive.contexts:
        context.close()


__all__ = ["Archive", "Chapter"]
