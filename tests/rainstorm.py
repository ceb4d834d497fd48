"""A rainstorm night on the embedded platform, shared by the concurrency test and ``bench/pages.py``:
a copy of the demo district on its own database, a live uvicorn server with the in-process workers,
a loopback SMS gateway, a district-wide warning being delivered, and timed HTTP clients."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.channels.servers import LoopbackHttp
from tests.conftest import PASSWORDS
from yingji.bootstrap import bootstrap
from yingji.channels.fake import FakeChannel
from yingji.channels.sms import SmsGateway
from yingji.core.db import Database, make_engine
from yingji.core.migrate import upgrade
from yingji.core.workers import BackgroundWorkers
from yingji.demo import seed_demo

DISTRICT = "450206000000"


def demo_database_url(tmp: Path, *, seeded_sqlite_url: str | None = None, url: str | None = None) -> str:
    """A database holding the demo district, committed: a copy of an already seeded SQLite file (fast),
    or ``url`` (e.g. a fresh PostgreSQL schema) / a new SQLite file, migrated and seeded."""
    if url is None and seeded_sqlite_url and seeded_sqlite_url.startswith("sqlite:///"):
        target = tmp / "night.db"
        src = sqlite3.connect(seeded_sqlite_url.removeprefix("sqlite:///"))
        dst = sqlite3.connect(target)
        src.backup(dst)
        src.close()
        dst.close()
        return f"sqlite:///{target}"
    url = url or f"sqlite:///{tmp / 'night.db'}"
    upgrade(url)
    database = Database(make_engine(url))
    seed_demo(database)
    database.bind.dispose()
    return url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Night:
    base_url: str
    database: Database
    gateway: LoopbackHttp
    workers: BackgroundWorkers


@contextmanager
def night(url: str, data_dir: Path, *, gateway_delay_s: float = 0.002, outbox_workers: int = 2,
          port: int | None = None) -> Iterator[Night]:
    """The server and its workers on ``url``; SMS goes to a loopback gateway, the other channels to fakes."""
    import uvicorn

    from yingji.app import create_app
    from yingji.core.config import Settings
    from yingji.web.server import uvicorn_options

    def respond(_rec):
        time.sleep(gateway_delay_s)
        return 200, {"id": "gw"}

    gateway = LoopbackHttp(respond).start()
    bootstrap(
        channels={
            "sms": SmsGateway(url=gateway.url + "/sms"),
            "email": FakeChannel("email"),
            "webhook": FakeChannel("webhook"),
            "loudspeaker": FakeChannel("loudspeaker"),
        }
    )
    database = Database(make_engine(url))
    app = create_app(settings=Settings(data_dir=data_dir, secret_key="rainstorm-night"), database=database)
    port = port or _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **uvicorn_options()))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("live server did not start")
        time.sleep(0.05)
    workers = BackgroundWorkers(database, outbox_workers=outbox_workers, idle_s=0.2)
    workers.start()
    try:
        yield Night(f"http://127.0.0.1:{port}", database, gateway, workers)
    finally:
        workers.stop()
        server.should_exit = True
        thread.join(10)
        gateway.stop()
        bootstrap(channels={})
        database.bind.dispose()


def token(base_url: str, username: str) -> dict[str, str]:
    r = httpx.post(f"{base_url}/api/v1/auth/token", json={"username": username, "password": PASSWORDS[username]},
                   timeout=60)
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def logged_in(base_url: str, username: str) -> httpx.Client:
    """A browser-like client with a session cookie (pages) and the CSRF token in ``.headers``."""
    import re

    c = httpx.Client(base_url=base_url, timeout=60)
    form = c.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    r = c.post("/login", data={"username": username, "password": PASSWORDS[username], "csrf_token": csrf})
    assert r.status_code in (200, 303), r.text
    return c


def signed_district_warning(base_url: str, *, headline: str = "柳江区应急管理局发布暴雨红色预警") -> int:
    """A warning over the whole district (every subscriber, person and loudspeaker), drafted and signed."""
    from datetime import UTC, datetime, timedelta

    duty, leader = token(base_url, "duty"), token(base_url, "leader")
    now = datetime.now(UTC)
    body = {
        "event_type": "rainstorm",
        "level": "red",
        "headline": headline,
        "description": "预计未来 3 小时内全区降雨量将达 100 毫米以上。",
        "instruction": "停止集会、停课、停业；危险地带人员撤离。",
        "effective": now.isoformat(),
        "expires": (now + timedelta(hours=12)).isoformat(),
        "area": {"regions": [DISTRICT]},
    }
    with httpx.Client(base_url=base_url, timeout=120) as c:
        r = c.post("/api/v1/warnings", json=body, headers=duty)
        r.raise_for_status()
        wid = r.json()["id"]
        c.post(f"/api/v1/warnings/{wid}/submit", headers=duty).raise_for_status()
        c.post(f"/api/v1/warnings/{wid}/approve", json={"note": "同意"}, headers=leader).raise_for_status()
    return wid


def publish(base_url: str, wid: int, *, headers: dict[str, str] | None = None) -> httpx.Response:
    """The leader publishes a signed warning (confirming any recipients no channel reaches)."""
    with httpx.Client(base_url=base_url, timeout=120) as c:
        return c.post(f"/api/v1/warnings/{wid}/publish", json={"confirm_unreached": True},
                      headers=headers or token(base_url, "leader"))


def publish_district_warning(base_url: str, *, headline: str = "柳江区应急管理局发布暴雨红色预警") -> int:
    """A district-wide warning, signed and published."""
    wid = signed_district_warning(base_url, headline=headline)
    publish(base_url, wid).raise_for_status()
    return wid


class WriteLockClock:
    """How long each transaction held SQLite's write lock (from its turn in the process's write queue to
    its commit or rollback), recorded on every connection of the process while installed."""

    def __init__(self) -> None:
        self.held: list[float] = []
        self.by: list[tuple[float, str]] = []  # (seconds, thread name) of each hold
        self._lock = threading.Lock()

    @contextmanager
    def installed(self) -> Iterator[WriteLockClock]:
        from yingji.core import db as core_db

        cls = core_db._QueuedConnection
        take, give = cls.take_turn, cls.give_turn

        def timed_take(conn) -> None:
            had = conn.holds_turn
            take(conn)
            if not had and conn.holds_turn:
                conn._turn_t0 = time.perf_counter()

        def timed_give(conn) -> None:
            if conn.holds_turn:
                held = time.perf_counter() - getattr(conn, "_turn_t0", time.perf_counter())
                with self._lock:
                    self.held.append(held)
                    self.by.append((held, threading.current_thread().name))
            give(conn)

        cls.take_turn, cls.give_turn = timed_take, timed_give
        try:
            yield self
        finally:
            cls.take_turn, cls.give_turn = take, give


@dataclass(frozen=True)
class Timed:
    label: str
    status: int
    seconds: float
    detail: str = ""  # of a 5xx: the start of the body, or the client's error when nothing came back


def run_timed(calls: list[tuple[str, Callable[[], httpx.Response]]], *, clients: int) -> list[Timed]:
    """Runs the calls on ``clients`` threads at once; each call's status and duration."""

    def one(item: tuple[str, Callable[[], httpx.Response]]) -> Timed:
        label, call = item
        t0 = time.perf_counter()
        detail = ""
        try:
            r = call()
            status = r.status_code
            if status >= 500:
                detail = r.text[:300]
        except httpx.HTTPError as exc:
            status = 599  # no answer at all counts as a server failure
            detail = f"{type(exc).__name__}: {exc}"[:300]
        return Timed(label, status, time.perf_counter() - t0, detail)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return list(pool.map(one, calls))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]
