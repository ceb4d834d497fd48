"""``yingji worker`` and ``yingji serve`` as real processes on a copy of the demo: the worker delivers an
outbox message, the server answers and stops on SIGTERM within 10 s."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from yingji.core import outbox
from yingji.core.db import Database
from yingji.core.notices import Notice
from yingji.risk.models import Hazard

pytestmark = pytest.mark.slow
YINGJI = str(Path(sys.executable).with_name("yingji"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, timeout: float, what: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            pytest.fail(f"the process ended ({proc.returncode}) before {what}:\n{out}")
        time.sleep(0.2)
    pytest.fail(f"{what}: not within {timeout:.0f} s")


def _stop(proc: subprocess.Popen, limit: float = 10.0) -> float:
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(limit)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        pytest.fail(f"did not stop within {limit:.0f} s of SIGTERM")
    return time.monotonic() - started


def test_worker_process_delivers_an_outbox_message(demo_env) -> None:
    database = Database.from_url(demo_env)
    with database.transaction() as db:
        hazard = db.scalars(select(Hazard).order_by(Hazard.id)).first()
        msg = outbox.enqueue(
            db, topic="risk.hazard.notice", payload={"hazard_id": hazard.id, "kind": "major_report", "key": "proc-1"}
        )
        hazard_id, msg_id = hazard.id, msg.id
    proc = subprocess.Popen(
        [YINGJI, "worker", "--outbox-workers", "1"],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:

        def delivered() -> bool:
            with database.transaction() as db:
                return db.get(outbox.OutboxMessage, msg_id).status == "done"

        _wait(delivered, 60, "the message was delivered", proc)
    finally:
        took = _stop(proc)
    with database.transaction() as db:
        notices = list(db.scalars(select(Notice).where(Notice.ref_type == "hazard", Notice.ref_id == hazard_id)))
        [notice] = [n for n in notices if n.kind == "major_report" and n.dedupe_key.endswith(":proc-1")]
        assert notice.body.startswith("重大事故隐患报告：")
    database.bind.dispose()
    assert proc.returncode == 0 and took < 10


def test_serve_answers_and_stops_on_sigterm(demo_env) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [YINGJI, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:

        def healthy() -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        _wait(healthy, 60, "/healthz answered 200", proc)
        # An open live stream must not hold the shutdown.
        with httpx.Client(timeout=5) as c:
            token = c.post(
                f"http://127.0.0.1:{port}/api/v1/auth/token", json={"username": "duty", "password": "yingji-duty-2026"}
            ).json()["access_token"]
        stream = subprocess.Popen(
            [
                sys.executable,
                "-c",
                (
                    "import httpx,sys\n"
                    f"with httpx.stream('GET', 'http://127.0.0.1:{port}/api/v1/monitoring/stream?poll_s=1&max_s=600',"
                    f" headers={{'Authorization': 'Bearer {token}'}}, timeout=None) as r:\n"
                    "    [sys.stdout.write(t) or sys.stdout.flush() for t in r.iter_text()]\n"
                ),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert "event: change" in "".join(stream.stdout.readline() for _ in range(4))
    finally:
        took = _stop(proc)
        stream.kill()
    assert took < 10


def test_serve_with_two_worker_processes_answers_from_both_and_stops(demo_env) -> None:
    """``serve --workers 2``: two server processes behind one port (each its own app and engine), the
    background workers once in the parent; SIGTERM stops them all within 10 s."""
    port = _free_port()
    proc = subprocess.Popen(
        [YINGJI, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    pids: set[int] = set()
    try:

        def one() -> None:
            try:  # a new connection each time, so that the kernel may hand it to either process
                r = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5, headers={"Connection": "close"})
            except httpx.HTTPError:
                return
            if r.status_code == 200:
                pids.add(r.json()["process"])

        def both_answered() -> bool:
            # Requests at the same time: while one process is busy the other accepts (one at a time, an
            # idle machine may hand every connection to the same process).
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(lambda _: one(), range(16)))
            return len(pids) >= 2

        # Each child is a fresh interpreter building the whole app: a minute on this 2-core machine when
        # it is loaded (measured 61 s at load average 11), hence the long wait.
        _wait(both_answered, 240, "two server processes answered /healthz", proc)
        assert proc.pid not in pids  # the parent supervises; the children serve
        page = httpx.get(f"http://127.0.0.1:{port}/login", timeout=5)
        assert page.status_code == 200 and "登录" in page.text
    finally:
        took = _stop(proc)
    assert took < 10
    for pid in pids:  # no server process outlives the parent
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_logout_in_one_serve_process_ends_the_session_kept_by_another(demo_env) -> None:
    """Two ``yingji serve --no-workers`` processes over one database, each keeping the dashboard and the
    session in its own memory (``web.session_cache``): the logout made through the first is seen by the
    very next request to the second."""
    from tests.rainstorm import logged_in

    ports = [_free_port(), _free_port()]
    procs = [
        subprocess.Popen(
            [YINGJI, "serve", "--no-workers", "--host", "127.0.0.1", "--port", str(p)],
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for p in ports
    ]
    try:
        for port, proc in zip(ports, procs, strict=True):

            def healthy(port: int = port) -> bool:
                try:
                    return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
                except httpx.HTTPError:
                    return False

            _wait(healthy, 120, f"/healthz on {port} answered 200", proc)
        first = logged_in(f"http://127.0.0.1:{ports[0]}", "duty")
        second = httpx.Client(base_url=f"http://127.0.0.1:{ports[1]}", cookies=first.cookies, timeout=30)
        for c in (first, second, first, second):  # kept by both
            assert c.get("/").status_code == 200
        csrf = first.get("/").text.split('"X-CSRF-Token": "', 1)[1].split('"', 1)[0]
        assert first.post("/logout", headers={"X-CSRF-Token": csrf}).status_code == 303
        r = second.get("/")
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
    finally:
        for proc in procs:
            _stop(proc)
