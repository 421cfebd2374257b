"""A real browser against a real server.

The server is `manage.py runserver` in a process of its own, on a database of its own that
`karki.browser.prepare` migrates and fills with the demo data: SQLite in a temporary directory, or,
when DATABASE_URL names a PostgreSQL database, a database beside it named `test_<name>_browser`.
The suite's own test database is never touched, so the order in which tests run does not matter
(pytest-django's `live_server` would flush the demo data away after each test), and the tests here
make no ORM call of their own (Playwright's sync API runs an event loop in the test thread, where
Django refuses synchronous database access).

The browser is Debian's Chromium (`make browser` installs it); Playwright never downloads one.
Everything is package-scoped: the server and the browser start once for the tests under this folder
and stop before the rest of the suite goes on.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from conftest import DEMO_PASSWORD
from karki.browser.pages import Page

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking switches Chromium keeps calling home, which a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
LANGUAGES = ("fi", "sv")
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}


@dataclass
class Server:
    url: str
    values: dict  # what the addresses in karki.browser.pages need: {draft}, {period}, …

    def address(self, page: Page, language: str = "fi") -> str:
        """The page's full address; a public page's language is in its address (`Page.address`)."""
        return self.url + page.address(self.values, language)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres(url: str, statements: list[str]) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


@pytest.fixture(scope="package")
def server(tmp_path_factory) -> Iterator[Server]:
    base_url = os.environ.get("DATABASE_URL", "")
    dropped: list[str] = []
    if base_url.startswith(("postgres://", "postgresql://")):
        name = f"test_{urlsplit(base_url).path.lstrip('/')}_browser"
        _postgres(base_url, [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'])
        database_url = urlunsplit(urlsplit(base_url)._replace(path=f"/{name}"))
        dropped.append(name)
    elif base_url:
        pytest.fail(f"The browser tests know SQLite and PostgreSQL, not {urlsplit(base_url).scheme}.")
    else:
        database_url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'karki.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": database_url, "KARKI_ENV": "development", "DEBUG": "true",
           "PYTHONUNBUFFERED": "1", "LOG_LEVEL": "WARNING"}
    base = Path(settings.BASE_DIR)
    prepared = subprocess.run([sys.executable, "-m", "karki.browser.prepare", DEMO_PASSWORD], cwd=base, env=env,
                              capture_output=True, text=True, check=False)
    if prepared.returncode:
        pytest.fail(f"Preparing the browser tests' database failed:\n{prepared.stderr[-3000:]}")
    values = json.loads(prepared.stdout.strip().splitlines()[-1])

    ARTIFACTS.mkdir(exist_ok=True)
    port = _free_port()
    log = (ARTIFACTS / "browser-server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=base, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(f"The server stopped; see {ARTIFACTS / 'browser-server.log'}")
            try:
                with urllib.request.urlopen(f"{url}/accounts/login/", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        else:
            pytest.fail("The server did not answer in 30 seconds")
        yield Server(url=url, values=values)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        if dropped:
            _postgres(base_url, [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in dropped])


@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's Chromium.")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        # Stops the event loop, so that the database tests run after these ones work again.
        playwright.stop()


@pytest.fixture(scope="package")
def signed_in(browser, server) -> Callable[[str | None], dict | None]:
    """The cookies of a signed-in demo user (signed in once per run through the sign-in form)."""
    states: dict[str, dict] = {}

    def state(username: str | None) -> dict | None:
        if username is None:
            return None
        if username not in states:
            context = browser.new_context(base_url=server.url)
            page = context.new_page()
            page.goto("/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", DEMO_PASSWORD)
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(lambda url: urlsplit(url).path == "/")  # my work
            states[username] = context.storage_state()
            context.close()
        return states[username]

    return state


@pytest.fixture
def new_context(browser, server, signed_in):
    """A fresh browser tab for a user (None: not signed in) in a language, at a width; closed after the test."""
    contexts = []

    def make(username: str | None = None, *, language: str = "fi", viewport: dict = DESKTOP):
        context = browser.new_context(base_url=server.url, storage_state=signed_in(username), viewport=viewport,
                                      locale=language)
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": server.url}])
        contexts.append(context)
        page = context.new_page()
        page.csp_errors = []
        page.on("console", lambda message: _csp_error(page, message))
        return page

    yield make
    for context in contexts:
        context.close()


def _csp_error(page, message) -> None:
    if message.type == "error" and "Content Security Policy" in message.text:
        page.csp_errors.append(message.text)
