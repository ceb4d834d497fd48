"""Browser tests: a live server per module on a free loopback port, with its own copy of the seeded demo
database (browser tests commit real changes, so they never share the suite's database; on PostgreSQL when
``YINGJI_TEST_DATABASE_URL`` is set), driven by Playwright in Debian's Chromium (never a downloaded browser).
Modules whose flows depend on the database (publishing, the hazard loop) are marked ``browser_postgres``:
``make test-postgres`` runs those, not the others. Tests wait for the app's readiness signals
(``#map[data-ready=true]`` and the like), never for fixed delays.

Fixtures: ``live_server`` (base URL), ``browser``, ``page`` (a fresh page), ``login(page, username)``.
When Chromium is missing the tests are skipped, except where ``YINGJI_BROWSER_REQUIRED`` is set (CI),
where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from tests.conftest import PASSWORDS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live_server(demo_templates, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server per test module, on its own copy of the seeded demo (on PostgreSQL when the suite runs
    there), so that modules never see each other's changes and none waits for a seed."""
    yield from serve(demo_templates.copy("live"), tmp_path_factory.mktemp("live"))


def serve(database_url: str, data_dir) -> Iterator[str]:
    """The app on ``database_url`` served on a free loopback port until the generator is closed."""
    import uvicorn

    from yingji.app import create_app
    from yingji.bootstrap import bootstrap
    from yingji.core.config import Settings
    from yingji.core.db import Database

    bootstrap()
    database = Database.from_url(database_url)
    app = create_app(settings=Settings(data_dir=data_dir, secret_key="browser-test"), database=database)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("live server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    database.bind.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("YINGJI_BROWSER_REQUIRED"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server: str):
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 800}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(30_000)  # generous for a loaded CI machine; waits end on signals
    yield pg
    context.close()


@pytest.fixture
def login() -> Callable[..., None]:
    def do(page, username: str) -> None:
        page.goto("/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORDS[username])
        page.click("button[type=submit]")
        page.wait_for_url("**/")

    return do
