"""Benchmark of the pages a duty officer uses on a rainstorm night, on a live server (uvicorn, the demo
district) with the in-process workers busy delivering a district-wide warning to a loopback SMS gateway:

    .venv/bin/python bench/pages.py                       # SQLite (a temporary file)
    YINGJI_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/<database> .venv/bin/python bench/pages.py

Prints p50 / p99 (ms) of the dashboard, the map layers, the public warning page and one list at 10 and
50 concurrent clients. On PostgreSQL it works in a fresh schema that is dropped at the end.
BENCH_REQUESTS (default 200) requests per page and concurrency.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text
from tests.rainstorm import (
    WriteLockClock,
    demo_database_url,
    logged_in,
    night,
    percentile,
    publish,
    run_timed,
    signed_district_warning,
    token,
)

from yingji.bootstrap import bootstrap
from yingji.core.clock import utcnow
from yingji.core.db import make_engine
from yingji.core.outbox import OutboxMessage
from yingji.warnings.models import Delivery, WarningCoverage, WarningMessage

N = int(os.environ.get("BENCH_REQUESTS", 200))
PAGES = {
    "dashboard /": "/",
    "warnings card": "/warnings/card",
    "map layer: warnings": "/api/v1/warnings/map.geojson",
    "map layer: sensors": "/api/v1/monitoring/sensors.geojson",
    "map layer: townships": "/api/v1/geo/boundaries?level=township",
    "public warning page": None,  # filled with the published warning's page
    "list: alarms": "/api/v1/monitoring/alarms",
}


def _pg_schema(url: str) -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    sep = "&" if "?" in url else "?"
    return schema, f"{url}{sep}options=-csearch_path%3D{schema}"


def main() -> None:
    bootstrap()
    pg = os.environ.get("YINGJI_BENCH_DATABASE_URL", "")
    schema = None
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        if pg:
            schema, url = _pg_schema(pg)
            demo_database_url(tmp_path, url=url)
        else:
            url = demo_database_url(tmp_path)
        try:
            run(url, tmp_path, "PostgreSQL" if pg else "SQLite")
        finally:
            if schema:
                admin = make_engine(pg)
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()


def _settled(n, limit_s: float = 120) -> None:
    """Waits until the workers have handled what the demo data left in the outbox (its events, notices
    and its own warning's deliveries), so the publication below is measured on its own."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        with n.database.transaction(read=True) as db:
            due = (OutboxMessage.status == "pending") & (OutboxMessage.available_at <= utcnow())
            waiting = db.scalar(select(func.count()).where(due | (OutboxMessage.status == "processing")))
        if not waiting:
            return
        time.sleep(0.2)


def _first_sent(n, wid: int, limit_s: float = 60) -> float:
    """Seconds from the warning's publication to its first delivery marked sent (waits for it)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        with n.database.transaction(read=True) as db:
            published = db.scalar(select(WarningMessage.published_at).where(WarningMessage.id == wid))
            first = db.scalar(select(func.min(Delivery.sent_at)).where(Delivery.warning_id == wid))
        if first is not None:
            return (first - published).total_seconds()
        time.sleep(0.05)
    return float("nan")


def run(url: str, data_dir: Path, label: str) -> None:
    clock = WriteLockClock()
    with night(url, data_dir, gateway_delay_s=0.003) as n, clock.installed():
        wid = signed_district_warning(n.base_url)
        _settled(n)
        leader = token(n.base_url, "leader")  # logging in (a password hash) is not part of publishing
        t0 = time.perf_counter()
        publish(n.base_url, wid, headers=leader).raise_for_status()
        print(f"{label}: publication request {time.perf_counter() - t0:.2f} s")
        print(f"{label}: first delivery sent {_first_sent(n, wid):.2f} s after publication", flush=True)
        with n.database.transaction(read=True) as db:
            identifier = db.scalar(text("SELECT identifier FROM warnings WHERE id = :i"), {"i": wid})
            targets = db.scalar(select(WarningCoverage.expected).where(WarningCoverage.warning_id == wid))
        PAGES["public warning page"] = f"/public/warnings/{identifier}"
        clients = [logged_in(n.base_url, "duty") for _ in range(50)]
        print(f"{label}: district-wide warning to {targets} recipients being written and sent meanwhile; "
              f"{N} requests each")
        failures: list = []
        print("| page | clients | p50 ms | p99 ms | max ms | 5xx |")
        print("|---|---|---|---|---|---|")
        for name, path in PAGES.items():
            for concurrency in (10, 50):
                calls = [(name, lambda c=clients[i % concurrency], p=path: c.get(p)) for i in range(N)]
                res = run_timed(calls, clients=concurrency)
                ms = [r.seconds * 1000 for r in res]
                errors = sum(r.status >= 500 for r in res)
                failures += [(name, concurrency, r) for r in res if r.status >= 500]
                print(
                    f"| {name} | {concurrency} | {percentile(ms, 50):.0f} | {percentile(ms, 99):.0f} "
                    f"| {max(ms):.0f} | {errors} |",
                    flush=True,
                )
        for name, concurrency, r in failures:  # the server log (stderr) holds each one's traceback
            print(f"5xx: {name} at {concurrency} clients: {r.status} after {r.seconds:.1f} s: {r.detail}")
        with n.database.transaction(read=True) as db:
            sent = db.scalar(select(func.count()).where(Delivery.warning_id == wid, Delivery.status == "sent"))
            rows = db.scalar(select(func.count()).where(Delivery.warning_id == wid))
        print(f"delivery rows written by the end: {rows} of {targets}; sent: {sent}")
        if clock.by:  # SQLite only: how long transactions held the write lock
            workers = sorted(h for h, t in clock.by if not t.startswith("AnyIO"))
            requests = sorted(h for h, t in clock.by if t.startswith("AnyIO"))
            for name, held in (("workers", workers), ("requests", requests)):
                if held:
                    p50, p99 = percentile(held, 50) * 1000, percentile(held, 99) * 1000
                    print(f"write lock held by {name}: {len(held)} transactions, p50 {p50:.0f} ms, "
                          f"p99 {p99:.0f} ms, max {held[-1] * 1000:.0f} ms")
        for c in clients:
            c.close()


if __name__ == "__main__":
    main()
