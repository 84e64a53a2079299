"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright
(its own browser downloads are not used), or a pytest skip that says what is missing."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("ACCORD_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
"""Without the background-networking flags Chromium tries to reach Google's services, and a
closed network refuses it."""


def _missing(reason: str) -> None:
    """Skip, or fail when ACCORD_REQUIRE_BROWSER is set (CI installs Chromium, so a missing
    browser there is an error, not a reason to skip)."""
    if os.environ.get("ACCORD_REQUIRE_BROWSER"):
        pytest.fail(f"ACCORD_REQUIRE_BROWSER is set but {reason}")
    pytest.skip(reason)


def require_chromium() -> str:
    """The Chromium executable, or skip the test with the reason."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("the playwright Python package is not installed (pip install -e '.[dev]')")
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        hint = ("run `make test` as root to install it with apt-get"
                if shutil.which("apt-get") else "install Chromium")
        _missing(f"no Chromium at {CHROMIUM} ({hint}, or set ACCORD_CHROMIUM)")
    return CHROMIUM


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (Playwright sync API)."""
    executable = require_chromium()
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=executable, args=ARGS)
        except Error as exc:
            _missing(f"Chromium at {executable} does not start: {str(exc).splitlines()[0]}")
        try:
            yield browser
        finally:
            browser.close()


class PageErrors:
    """Collects a page's console errors and uncaught exceptions."""

    def __init__(self, page: Any):
        self.messages: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.messages.append(f"page error: {exc}"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.messages.append(f"console error: {message.text}")
