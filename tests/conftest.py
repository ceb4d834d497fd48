"""Test fixtures shared by the whole suite.

The suite runs on SQLite, and on PostgreSQL when ``YINGJI_TEST_DATABASE_URL`` is set. Each test session
migrates and seeds the demo district once into a template (``tests/databases.py``) and works on a copy
of it (a temporary SQLite file, or a database of its own on PostgreSQL so that runs never meet). Each test
then runs inside a transaction that is rolled back at its end (``db``, ``client``); code under test may
commit freely: its commits are savepoints of that transaction.

Fixtures: ``demo_templates`` (``.copy(label)`` → URL of a fresh seeded database), ``demo_env`` (such a
copy configured through the environment, for the CLI and subprocesses), ``database_url``,
``engine``, ``db`` (a Session), ``database`` (a Database on the test's connection), ``app``, ``client`` (an
anonymous TestClient), ``api`` (``api("admin")`` → a TestClient with that demo user's bearer token),
``page_client`` (``page_client("admin")`` → a logged-in browser-like client with ``.csrf``), ``fixed_clock``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.orm import Session

from tests.databases import DemoTemplates
from yingji.bootstrap import bootstrap
from yingji.core import clock as core_clock
from yingji.core.db import Database, make_engine
from yingji.demo import DEMO_USERS

PG_URL = os.environ.get("YINGJI_TEST_DATABASE_URL", "")
# The suite loads the demo data set, which would switch the demo sandbox gateway on for every channel
# left unconfigured: tests choose their channels themselves (tests/channels/test_sandbox.py turns it on).
os.environ.setdefault("YINGJI_CHANNEL_SANDBOX", "off")
PASSWORDS = {u["username"]: u["password"] for u in DEMO_USERS}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="run the tests marked slow too (make test does)")


@pytest.hookimpl(trylast=True)  # after tests/browser/conftest.py has marked its tests slow
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _leave_out_slow(config, items)
    without_database = _modules_without_database(items)
    items.sort(key=lambda item: _rank(item, without_database))  # stable: within a rank the order stays


def _leave_out_slow(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A bare ``pytest`` is the fast pass: tests marked ``slow`` run with ``--slow``, with ``-m``, or when
    their files or directories are named on the command line."""
    named = [a for a in config.args if Path(a.split("::")[0]).resolve() != (config.rootpath / "tests").resolve()]
    if config.getoption("--slow") or config.option.markexpr or named:
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]


# What runs on PostgreSQL (docs/testing.md): the tests that reach the server YINGJI_TEST_DATABASE_URL
# names, through the suite's database fixtures or, for the modules that make databases of their own
# there (migrations on a fresh schema, worker processes), through the names that read it. Every other
# test uses no database or a SQLite file of its own whatever the URL says: run again on the PostgreSQL
# pass it would repeat the SQLite run exactly. It is marked engine_neutral; make test-postgres leaves it out.
DATABASE_FIXTURES = frozenset({
    "demo_templates", "demo_env", "database_url", "engine", "connection", "database", "db", "app", "client",
    "api", "page_client", "live_server",
})
READS_TEST_DATABASE_URL = ("PG_URL", "pg_schema", "fresh_database")


# Of a parametrized test, the PostgreSQL pass runs the first case (marked nothing) and leaves the others
# out (marked engine_repeat): the cases vary the values a rule is tried with — roles, transitions, boundary
# values — while the statements the engine sees are the same; the SQLite pass runs every case. A test whose
# cases are about the engine is marked postgres_only or browser_postgres and keeps them all.
_FIRST_CASES: set[str] = set()


def _mark_repeated_case(item: pytest.Item) -> None:
    if getattr(item, "callspec", None) is None:
        return
    if item.get_closest_marker("postgres_only") or item.get_closest_marker("browser_postgres"):
        return
    function = item.nodeid.split("[", 1)[0]
    if function in _FIRST_CASES:
        item.add_marker(pytest.mark.engine_repeat)
    else:
        _FIRST_CASES.add(function)


def pytest_itemcollected(item: pytest.Item) -> None:  # at collection: before ``-m`` selects
    module = getattr(item, "module", None)
    _mark_repeated_case(item)
    if DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        return
    if module is not None and any(hasattr(module, name) for name in READS_TEST_DATABASE_URL):
        return
    item.add_marker(pytest.mark.engine_neutral)


# The order of the modules on two workers (make test runs xdist with --no-loadscope-reorder, which keeps
# it): the longest module first, so that the run does not end with one worker alone on a four-minute
# module; then the modules that need no database, which the other worker runs while the first one seeds
# the demo template (the workers share one seed and wait for it); then the other long one and the rest.
LONGEST_FIRST = ("tests/web/test_fuzz_openapi.py",)
LONG_NEXT = ("tests/browser/test_stored_xss.py",)


def _rank(item: pytest.Item, without_database: set[str]) -> int:
    path = item.nodeid.split("::")[0]
    if path in LONGEST_FIRST:
        return 0
    if path in without_database:
        return 1
    return 2 if path in LONG_NEXT else 3


def _modules_without_database(items: list[pytest.Item]) -> set[str]:
    modules: dict[str, bool] = {}
    for item in items:
        path = item.nodeid.split("::")[0]
        modules[path] = modules.get(path, True) and item.get_closest_marker("engine_neutral") is not None
    return {path for path, neutral in modules.items() if neutral}


def with_search_path(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


@contextmanager
def pg_schema(prefix: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL schema for the duration; yields a URL whose search_path is that schema."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield with_search_path(PG_URL, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# --- one seed per run: the xdist controller makes a directory its workers share the template in ---------


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput") and config.pluginmanager.hasplugin("xdist"):
        config._yingji_shared = tempfile.mkdtemp(prefix="yingji-template-")  # type: ignore[attr-defined]


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:  # xdist: on the controller, for each worker it starts
    node.workerinput["yingji_template_dir"] = node.config._yingji_shared


def pytest_unconfigure(config: pytest.Config) -> None:
    shared = getattr(config, "_yingji_shared", None)
    if shared:  # every worker has finished: the run's PostgreSQL template can go
        DemoTemplates.drop_shared(PG_URL, Path(shared))
        shutil.rmtree(shared, ignore_errors=True)


def _shared_template_dir(config: pytest.Config) -> Path | None:
    """Where this process shares the seeded template: ``YINGJI_TEST_TEMPLATE_DIR`` for SQLite (make test's
    SQLite pass and timing tests: two runs, one seed), else the xdist controller's directory; ``None``
    (seed in the session's own temporary directory) for a lone pytest."""
    given = os.environ.get("YINGJI_TEST_TEMPLATE_DIR")
    if given and not PG_URL:
        return Path(given)
    shared = getattr(config, "workerinput", {}).get("yingji_template_dir")
    return Path(shared) if shared else None


@pytest.fixture(scope="session")
def demo_templates(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoTemplates]:
    """The demo district seeded once per run; ``demo_templates.copy(label)`` → URL of a fresh copy."""
    os.environ.setdefault("YINGJI_SECRET_KEY", "test-secret-key")
    templates = DemoTemplates(PG_URL, tmp_path_factory.mktemp("db"), _shared_template_dir(request.config))
    yield templates
    templates.drop_all()


@pytest.fixture
def demo_env(demo_templates: DemoTemplates, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh copy of the seeded demo as the configured database (``YINGJI_DATABASE_URL``, a data dir of
    its own), for the CLI and ``yingji`` subprocesses; yields its URL."""
    from yingji.core.config import get_settings

    url = demo_templates.copy("cli")
    monkeypatch.setenv("YINGJI_DATABASE_URL", url)
    monkeypatch.setenv("YINGJI_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def database_url(demo_templates: DemoTemplates) -> str:
    return demo_templates.copy("main")


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    bootstrap()
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    conn = engine.connect()
    outer = conn.begin()
    yield conn
    outer.rollback()
    conn.close()


@pytest.fixture
def database(connection: Connection) -> Database:
    """A Database whose every transaction is a savepoint inside the test's rolled-back transaction."""
    return Database(connection, join_transaction_mode="create_savepoint")


@pytest.fixture
def db(database: Database) -> Iterator[Session]:
    with database.sessionmaker() as session:
        session.info["actor_id"] = None
        yield session
        session.flush()


# One app per test process, handed to each test with the test's database and a data directory of its own.
# Making the app is cheap, but FastAPI builds each app's routes lazily (their dependencies and models)
# on the first request that walks them: about a second per app on an idle core, half the suite's time
# when every test made its own. What an app keeps between requests is replaced for each test.
_APP_STATE_PER_TEST = ("layer_cache", "badge_cache", "page_cache", "session_cache")
_shared_app: list = []


def _test_settings(data_dir: Path):
    from yingji.core.config import Settings

    return Settings(data_dir=data_dir, secret_key="test-secret-key")


def hand_over(application, database: Database, data_dir: Path):
    """``application`` with ``database`` and ``data_dir``, and nothing kept from its earlier requests."""
    from yingji.core.layercache import LayerCache

    for name in _APP_STATE_PER_TEST:
        if hasattr(application.state, name):
            delattr(application.state, name)
    application.state.layer_cache = LayerCache()
    application.state.settings = _test_settings(data_dir)
    application.state.database = database
    application.state.demo_label = "柳江区（演示）"
    return application


@pytest.fixture
def fresh_app(database: Database, tmp_path: Path):
    """An app of the test's own, for a test that changes the app itself (adds a route)."""
    from yingji.app import create_app

    application = create_app(settings=_test_settings(tmp_path), database=database)
    application.state.demo_label = "柳江区（演示）"
    return application


@pytest.fixture
def app(database: Database, tmp_path: Path):
    from yingji.app import create_app

    if not _shared_app:
        _shared_app.append(create_app(settings=_test_settings(tmp_path), database=database))
    application = hand_over(_shared_app[0], database, tmp_path)
    yield application
    application.state.database = None  # the test's connection is closed after it: nothing may keep it


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _demo_user(db: Session, username: str):
    from yingji.accounts.models import User

    return db.scalars(select(User).where(User.username == username)).one()


# The clients below are handed their token or session cookie as the login would have made it (the same
# service functions), without the login itself: an argon2 check costs a tenth of a second on an idle core
# and seconds on a busy one, and the suite makes some 1,500 clients. The login, its failures, lock-out and
# audit are tried through HTTP by tests/accounts.
@pytest.fixture
def api(app, database: Database) -> Callable[[str], TestClient]:
    """``api("labao")`` → a client sending that demo user's bearer token."""
    from yingji.accounts.service import issue_token

    clients: dict[str, TestClient] = {}

    def for_user(username: str) -> TestClient:
        if username not in clients:
            c = TestClient(app, raise_server_exceptions=False)
            with database.transaction() as session:
                token, _ = issue_token(db=session, user=_demo_user(session, username))
            c.headers["Authorization"] = f"Bearer {token}"
            clients[username] = c
        return clients[username]

    return for_user


class PageClient(TestClient):
    csrf: str = ""


@pytest.fixture
def page_client(app, database: Database) -> Callable[[str], PageClient]:
    """``page_client("admin")`` → a client with that demo user's browser session, with ``.csrf`` set."""
    from yingji.accounts.service import start_session
    from yingji.web.deps import SESSION_COOKIE

    def login(username: str) -> PageClient:
        c = PageClient(app, raise_server_exceptions=False)
        with database.transaction() as session:
            token, web_session = start_session(db=session, user=_demo_user(session, username))
            c.csrf = web_session.csrf_token
        c.cookies.set(SESSION_COOKIE, token)
        return c

    return login


@pytest.fixture
def fixed_clock() -> Iterator[Callable[[datetime], None]]:
    """``fixed_clock(datetime(...))`` freezes ``utcnow()``; call again to move time."""
    now = {"t": datetime(2026, 6, 1, 2, 0, tzinfo=UTC)}

    def set_time(t: datetime) -> None:
        now["t"] = t

    with core_clock.use_clock(lambda: now["t"]):
        yield set_time
