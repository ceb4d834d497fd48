"""The connection pool has room for every thread of the process that may hold a connection at once (the
web server's threads, each request holding its session until it answers, and the in-process workers):
no request waits for a connection until it times out. On PostgreSQL the pool used to be 10 + 20
connections for 40 web threads and the workers; at 50 concurrent clients a page answered 500
("QueuePool limit of size 10 overflow 20 reached, connection timed out")."""

from __future__ import annotations

import threading
from pathlib import Path

import anyio
import anyio.to_thread
import pytest
from sqlalchemy import text

from tests.conftest import PG_URL
from yingji.core.db import POOL_CONNECTIONS, WEB_THREADS, Database, make_engine


def test_the_web_threads_counted_are_those_the_server_runs_endpoints_on() -> None:
    async def tokens() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    # In a thread of its own: a browser test before this one in the same worker leaves Playwright's event
    # loop running on the main thread, and anyio will not start a second loop there.
    found: list[float] = []
    reader = threading.Thread(target=lambda: found.append(anyio.run(tokens)))
    reader.start()
    reader.join(30)
    assert found == [WEB_THREADS]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_every_thread_gets_a_connection_at_the_same_time(kind: str, tmp_path: Path) -> None:
    if kind == "postgresql" and not PG_URL:
        pytest.skip("YINGJI_TEST_DATABASE_URL not set")
    url = PG_URL if kind == "postgresql" else f"sqlite:///{tmp_path / 'pool.db'}"
    # Waiting 10 s (the old PostgreSQL timeout) would fail the test long before its own deadline.
    engine = make_engine(url, pool_timeout=5)
    database = Database(engine)
    holders = WEB_THREADS + 4  # the web threads, two outbox threads, the scheduler, MQTT ingestion
    assert holders <= POOL_CONNECTIONS
    all_in = threading.Barrier(holders, timeout=30)
    errors: list[BaseException] = []

    def hold() -> None:
        try:
            with database.transaction(read=True) as db:  # as a GET request's session
                db.execute(text("SELECT 1"))
                all_in.wait()  # every thread holds its connection at this moment
        except BaseException as exc:  # recorded for the assertion below
            errors.append(exc)
            all_in.abort()

    threads = [threading.Thread(target=hold) for _ in range(holders)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        engine.dispose()
    assert errors == [], [repr(e) for e in errors[:3]]


def test_postgresql_connections_compile_nothing_just_in_time() -> None:
    """Every pooled connection has JIT off from its first statement, a rolled-back transaction later too."""
    if not PG_URL:
        pytest.skip("PostgreSQL only")
    engine = make_engine(PG_URL)
    try:
        for _ in range(2):
            with engine.connect() as conn:
                assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
                conn.rollback()
                assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
    finally:
        engine.dispose()
