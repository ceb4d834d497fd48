"""Benchmark of warning publication: targeting, delivery rows, delivery throughput.

    .venv/bin/python bench/warning_publication.py                       # SQLite (a temporary file)
    YINGJI_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/warning_publication.py

1. resolve the subscribers inside a polygon among 1,000,000 subscriber points (target < 1 s)
2. publish a warning over that polygon (the request's writes) and have the worker search its recipients
   once and write their delivery rows in chunks (target < 20 s on PostgreSQL)
3. deliver to a loopback HTTP SMS gateway with 4 workers (messages per second)

On PostgreSQL it works in a fresh schema that is dropped at the end.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select, text
from tests.channels.servers import LoopbackHttp
from tests.warnings.fresh import fresh_database, published_with_deliveries

from yingji.bootstrap import bootstrap
from yingji.channels.sms import SmsGateway
from yingji.core.db import Database
from yingji.geo import service as geo_service
from yingji.warnings.models import Delivery, Subscriber, WarningMessage
from yingji.warnings.service import delivery, recipients
from yingji.warnings.service.area import parse_area

N_SUBSCRIBERS = int(os.environ.get("BENCH_SUBSCRIBERS", 1_000_000))
N_DELIVER = int(os.environ.get("BENCH_DELIVER", 4000))
WORKERS = 4
# A polygon over the north-west quarter of the district (GeoJSON order).
POLYGON = [[109.15, 24.25], [109.37, 24.22], [109.42, 24.40], [109.20, 24.45], [109.15, 24.25]]


def _fill(database: Database, n: int) -> None:
    rng = random.Random(7)
    now = datetime.now(UTC)
    with database.transaction() as db:
        geo_service.load_shipped_district(db=db)
        minx, miny, maxx, maxy = 109.05, 23.95, 109.65, 24.55
        for start in range(0, n, 50_000):
            rows = [
                {
                    "phone": f"1{3 + i % 7}{i:09d}",
                    "status": "active",
                    "lon": rng.uniform(minx, maxx),
                    "lat": rng.uniform(miny, maxy),
                    "village_code": None,
                    "event_types": "",
                    "code_attempts": 0,
                    "unsubscribe_token": f"b{i}",
                    "created_at": now,
                }
                for i in range(start, min(n, start + 50_000))
            ]
            db.execute(insert(Subscriber), rows)
    if database.dialect == "postgresql":  # fresh statistics, as autovacuum would gather after a bulk load
        with database.transaction() as db:
            db.execute(text("ANALYZE warning_subscribers"))


def _warning(db, area_spec) -> WarningMessage:
    now = datetime.now(UTC)
    area = parse_area(db=db, area=area_spec)
    w = WarningMessage(
        identifier=f"45020600000000_{uuid.uuid4().hex[:14]}",
        sender="bench",
        msg_type="Alert",
        status="published",
        origin="local",
        event_type="rainstorm",
        level="red",
        headline="基准测试暴雨红色预警",
        description="基准测试",
        instruction="",
        effective=now,
        expires=now + timedelta(hours=6),
        area=area.spec,
        area_desc="基准",
        village_codes=area.village_codes,
        region_path=area.region_path,
        department="基准",
        created_at=now,
        published_at=now,
    )
    db.add(w)
    db.flush()
    return w


def main() -> None:
    bootstrap()
    results: list[tuple[str, str, str]] = []
    pg_url = os.environ.get("YINGJI_BENCH_DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as tmp, fresh_database(Path(tmp), pg_url=pg_url) as (_url, database):
        dialect = database.dialect
        t0 = time.perf_counter()
        _fill(database, N_SUBSCRIBERS)
        fill_s = time.perf_counter() - t0

        with database.transaction() as db:
            area = parse_area(db=db, area={"polygon": POLYGON})
            recipients.subscribed(db=db, area=area, event_type="rainstorm")  # warm the region index
            t0 = time.perf_counter()
            targets = recipients.subscribed(db=db, area=area, event_type="rainstorm")
            resolve_s = time.perf_counter() - t0
        results.append(
            (
                f"resolve polygon over {N_SUBSCRIBERS:,} subscriber points",
                f"{resolve_s:.3f} s",
                f"{len(targets):,} inside; target < 1 s",
            )
        )

        with database.transaction() as db:
            w = _warning(db, {"polygon": POLYGON})
            t0 = time.perf_counter()
            delivery.create_deliveries(db=db, warning=w)  # what publication writes: the command only
        publish_s = time.perf_counter() - t0  # including the commit
        t0 = time.perf_counter()
        n_rows = delivery.expand(database, w.id)  # the worker: one search, chunks of CHUNK rows
        rows_s = time.perf_counter() - t0
        results.append(("publication's own writes (coverage row, command)", f"{publish_s:.3f} s", "target < 1 s"))
        results.append(
            (
                f"search once and write the delivery rows ({delivery.CHUNK} per transaction)",
                f"{rows_s:.2f} s",
                f"{n_rows:,} rows; target < 20 s on PostgreSQL",
            )
        )

        # Delivery throughput: a warning of N_DELIVER rows to a loopback HTTP gateway.
        with database.transaction() as db:
            db.execute(Delivery.__table__.update().values(status="failed"))  # keep only the throughput rows
        wid = published_with_deliveries(database, N_DELIVER)
        gateway = LoopbackHttp().start()
        try:
            sms = SmsGateway(url=gateway.url + "/sms")
            counts: list[int] = []

            def work(k: int) -> None:
                counts.append(
                    delivery.run(database, channels={"sms": sms}, worker=f"bench-{k}", batch=50, warning_id=wid)
                )

            threads = [threading.Thread(target=work, args=(k,)) for k in range(WORKERS)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            send_s = time.perf_counter() - t0
        finally:
            gateway.stop()
        with database.transaction() as db:
            sent = db.scalar(
                select(func.count()).select_from(Delivery).where(Delivery.warning_id == wid, Delivery.status == "sent")
            )
        results.append(
            (
                f"deliver to a loopback HTTP gateway, {WORKERS} workers",
                f"{sent / send_s:,.0f} msg/s",
                f"{sent:,} sent in {send_s:.1f} s; {len(gateway.requests):,} requests",
            )
        )
    print(f"\nWarning publication benchmark on {dialect}", end=" ")
    print(f"({N_SUBSCRIBERS:,} subscribers loaded in {fill_s:.1f} s)\n")
    width = max(len(r[0]) for r in results)
    print(f"| {'step'.ljust(width)} | result | notes |")
    print(f"|{'-' * (width + 2)}|--------|-------|")
    for step, value, note in results:
        print(f"| {step.ljust(width)} | {value} | {note} |")


if __name__ == "__main__":
    main()
