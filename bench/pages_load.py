"""The duty dashboard under load, beside a FastAPI hello app measured in the same run (issue 18, point 4):

    .venv/bin/python bench/pages_load.py                   # embedded SQLite only
    YINGJI_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/<database> .venv/bin/python bench/pages_load.py

1. Embedded SQLite, one live server with its in-process workers (as ``yingji serve``): a district-wide
   warning is published and, while the workers write and send its deliveries to a loopback SMS gateway,
   50 concurrent clients load the dashboard (``/``) for BENCH_SECONDS; p50 / p99 and errors.
   Target: p99 < 1 s.
2. PostgreSQL (a fresh schema, dropped at the end): two ``yingji serve --no-workers`` processes, 100
   concurrent clients spread over both; req/s and p99. Reference: the hello app in two processes.
   Target: ≥ 500 req/s, p99 < 200 ms.

Clients are separate processes (``bench/support/load.py``), keep-alive, back to back. BENCH_PORT (8600)
is the first of the ports used. The load average is printed with the table: on a shared machine every
figure is pessimistic.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from bench.support import load
from sqlalchemy import func, select, text
from tests.rainstorm import (
    demo_database_url,
    logged_in,
    night,
    publish,
    signed_district_warning,
    token,
)

from yingji.app import settle_heap
from yingji.core.db import make_engine

ROOT = Path(__file__).resolve().parents[1]
SECONDS = float(os.environ.get("BENCH_SECONDS", 20))
PORT = int(os.environ.get("BENCH_PORT", 8600))
SECRET = "bench-pages-load"


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _wait_ready(port: int, path: str, proc: subprocess.Popen, limit_s: float = 120) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}{path}", timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port} within {limit_s:.0f} s")


def _hello(ports: list[int]) -> list[subprocess.Popen]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "bench.support.hello:app", "--port", str(p), "--log-level", "warning",
             "--timeout-keep-alive", "75"],
            cwd=ROOT, stdout=subprocess.DEVNULL,
        )
        for p in ports
    ]
    for p, proc in zip(ports, procs, strict=True):
        _wait_ready(p, "/", proc)
    return procs


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            p.kill()


def _row(what: str, clients: int, r: load.Result) -> str:
    errors = ", ".join(f"{k}×{v}" for k, v in sorted(r.errors.items())) or "0"
    return (f"| {what} | {clients} | {r.done} | {r.rate():.0f} | {r.percentile_ms(50):.0f} | "
            f"{r.percentile_ms(99):.0f} | {errors} |")


HEADER = "| what | clients | requests | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|---|---|"


def sqlite_during_delivery(tmp: Path) -> None:
    tmp.mkdir(parents=True, exist_ok=True)
    url = demo_database_url(tmp)
    with night(url, tmp, gateway_delay_s=0.003, port=PORT + 4) as n:
        settle_heap()  # as ``yingji serve`` does before it serves (the server runs in this process)
        cookie = logged_in(n.base_url, "duty").cookies
        session = "; ".join(f"{k}={v}" for k, v in cookie.items())
        wid = signed_district_warning(n.base_url)
        leader = token(n.base_url, "leader")
        publish(n.base_url, wid, headers=leader).raise_for_status()
        port = int(n.base_url.rsplit(":", 1)[1])
        print(f"SQLite: warning {wid} published; dashboard under 50 clients for {SECONDS:.0f} s "
              f"(load average before: {_loadavg()})", flush=True)
        during = load.run([port], "/", connections=50, seconds=SECONDS, headers={"Cookie": session})
        with n.database.transaction(read=True) as db:
            from yingji.warnings.models import Delivery

            rows = db.scalar(select(func.count()).where(Delivery.warning_id == wid))
            sent = db.scalar(select(func.count()).where(Delivery.warning_id == wid, Delivery.status == "sent"))
        load_after = _loadavg()
    hello = _hello([PORT + 2])
    try:
        ref = load.run([PORT + 2], "/", connections=50, seconds=SECONDS)
    finally:
        _stop(hello)
    print(HEADER)
    print(_row("dashboard /, SQLite, 1 serve with workers, while delivering", 50, during))
    print(_row("hello app, 1 process (reference)", 50, ref))
    print(f"p99 ratio dashboard / hello: {during.percentile_ms(99) / ref.percentile_ms(99):.1f}; "
          f"deliveries meanwhile: {rows} rows written, {sent} sent; load average after: {load_after}", flush=True)


def _pg_schema(url: str) -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    sep = "&" if "?" in url else "?"
    return schema, f"{url}{sep}options=-csearch_path%3D{schema}"


def postgres_two_processes(pg: str, tmp: Path) -> None:
    schema, url = _pg_schema(pg)
    procs: list[subprocess.Popen] = []
    try:
        demo_database_url(tmp, url=url)
        env = {**os.environ, "YINGJI_DATABASE_URL": url, "YINGJI_DATA_DIR": str(tmp), "YINGJI_SECRET_KEY": SECRET,
               "PYTHONPATH": str(ROOT / "src")}
        ports = [PORT, PORT + 1]
        log = open(tmp / "serve.log", "w")  # noqa: SIM115 - open while the servers run
        procs = [
            subprocess.Popen([sys.executable, "-m", "yingji.cli", "serve", "--no-workers", "--port", str(p)],
                             env=env, stdout=log, stderr=subprocess.STDOUT)
            for p in ports
        ]
        for p, proc in zip(ports, procs, strict=True):
            _wait_ready(p, "/login", proc)
        client = logged_in(f"http://127.0.0.1:{PORT}", "duty")
        session = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        assert httpx.get(f"http://127.0.0.1:{PORT + 1}/", headers={"Cookie": session}).status_code == 200
        print(f"PostgreSQL: 2 serve processes, dashboard under 100 clients for {SECONDS:.0f} s "
              f"(load average before: {_loadavg()})", flush=True)
        load.run(ports, "/", connections=20, seconds=3, headers={"Cookie": session})  # warm-up
        dash = load.run(ports, "/", connections=100, seconds=SECONDS, headers={"Cookie": session})
        load_after = _loadavg()
    finally:
        _stop(procs)
        admin = make_engine(pg)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    hello = _hello([PORT + 2, PORT + 3])
    try:
        load.run([PORT + 2, PORT + 3], "/", connections=20, seconds=3)
        ref = load.run([PORT + 2, PORT + 3], "/", connections=100, seconds=SECONDS)
    finally:
        _stop(hello)
    print(HEADER)
    print(_row("dashboard /, PostgreSQL, 2 serve --no-workers", 100, dash))
    print(_row("hello app, 2 processes (reference)", 100, ref))
    print(f"req/s ratio dashboard / hello: {dash.rate() / ref.rate():.2f}; load average after: {load_after}",
          flush=True)


def main() -> None:
    from yingji.bootstrap import bootstrap

    bootstrap()
    print(f"machine: {os.cpu_count()} cores, load average {_loadavg()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        if os.environ.get("BENCH_SKIP_SQLITE") != "1":
            sqlite_during_delivery(Path(tmp) / "sqlite")
    pg = os.environ.get("YINGJI_BENCH_DATABASE_URL", "")
    if pg:
        with tempfile.TemporaryDirectory() as tmp:
            postgres_two_processes(pg, Path(tmp))


if __name__ == "__main__":
    main()
