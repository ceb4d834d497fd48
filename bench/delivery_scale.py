"""Benchmark of delivery at district scale: batch delivery, streamed recipients, a district-wide warning.

    .venv/bin/python bench/delivery_scale.py                      # SQLite (a temporary file)
    YINGJI_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/delivery_scale.py
    BENCH_POINTS=5000000 … bench/delivery_scale.py                # 5,000,000 subscriber points
    BENCH_WARNING=0 … bench/delivery_scale.py                     # 1. and 2. only

Each line has its reference measured in the same run, and the ratio:

1. batch delivery: ``BENCH_DELIVER`` pending SMS rows handed by one worker (``delivery.run``, this
   process) to a loopback batch gateway (a real HTTP server in a process of its own, as a cloud's API
   is: in this process it took the worker's interpreter lock for half of each request), ``BENCH_BATCH``
   numbers per request; reference: a bare client posting the same batches to the same gateway, no
   database. Both clients are connected before their clock starts.
2. recipients streamed: the subscribers inside a polygon among ``BENCH_POINTS`` points (one point in
   ``BENCH_SHARED_EVERY``, 20, has the phone of the point before: a resident signed up at home and at
   work), the count of different phones and the full pass that yields targets, with the peak of Python
   allocations (tracemalloc) and the resident memory; reference: ``shapely.contains_xy`` on the same
   points held in numpy arrays.
3. a district-wide warning: publication → every recipient inside the polygon handed over (resolution,
   row creation, sending), one worker process; target < 2 min for 600,000 on PostgreSQL.

On PostgreSQL it works in a fresh schema that is dropped at the end.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
import numpy as np
import shapely
from shapely.geometry import Polygon
from sqlalchemy import func, select, text
from tests.warnings.fresh import fresh_database, published_with_deliveries

from yingji.bootstrap import bootstrap
from yingji.channels import http
from yingji.channels.sms import SmsGateway
from yingji.core.db import Database
from yingji.geo import service as geo_service
from yingji.warnings.models import CELL_ROW, CELLS_PER_DEGREE, Delivery, Subscriber, WarningCoverage, WarningMessage
from yingji.warnings.service import delivery, lone_phones, recipients
from yingji.warnings.service.area import parse_area

N_POINTS = int(os.environ.get("BENCH_POINTS", 1_000_000))
N_DELIVER = int(os.environ.get("BENCH_DELIVER", 100_000))
BATCH = int(os.environ.get("BENCH_BATCH", 1000))
SHARED_EVERY = int(os.environ.get("BENCH_SHARED_EVERY", 20))  # 0: every point a phone of its own
WHOLE_WARNING = os.environ.get("BENCH_WARNING", "1") != "0"  # 0: stop after the recipients (3. is long)
BBOX = (109.05, 23.95, 109.65, 24.55)  # the fill: uniform over the district's box
# About 62 % of the box: 620,000 of 1,000,000 points (GeoJSON order).
POLYGON = [[109.08, 23.98], [109.55, 23.98], [109.55, 24.44], [109.30, 24.47], [109.08, 24.44], [109.08, 23.98]]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _owners(n: int) -> np.ndarray:
    """Whose phone each point is: its own, or for one point in ``SHARED_EVERY`` the point before's (a
    resident signed up at home and at work: one phone, two rows, one message)."""
    owner = np.arange(n)
    if SHARED_EVERY:
        owner[SHARED_EVERY - 1 :: SHARED_EVERY] -= 1
    return owner


def _fill(database: Database, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` subscribers uniform over the box; returns their points (for the reference). Written by the
    driver in bulk (``executemany`` on SQLite, ``COPY`` on PostgreSQL) with the table's secondary indexes
    dropped and built again afterwards: 1,000,000 rows through SQLAlchemy's insert took 5 minutes."""
    rng = np.random.default_rng(7)
    lon = rng.uniform(BBOX[0], BBOX[2], n)
    lat = rng.uniform(BBOX[1], BBOX[3], n)
    # models.cell_of on the arrays (the same floating-point steps)
    cell = (np.floor((lon + 180.0) * CELLS_PER_DEGREE).astype(np.int64) * CELL_ROW
            + np.floor((lat + 90.0) * CELLS_PER_DEGREE).astype(np.int64))
    now = datetime.now(UTC)
    with database.transaction() as db:
        geo_service.load_shipped_district(db=db)
    table = Subscriber.__table__
    cols = ("phone", "status", "lon", "lat", "cell", "village_code", "event_types", "code_attempts",
            "unsubscribe_token", "created_at")

    owner = _owners(n)

    def rows(start: int, stop: int):
        for i in range(start, stop):
            j = int(owner[i])
            yield (f"1{3 + j % 7}{j:09d}", "active", float(lon[i]), float(lat[i]), int(cell[i]), None, "", 0,
                   f"b{j}", now)

    with database.transaction() as db:
        conn = db.connection()
        for index in table.indexes:
            index.drop(conn)
        raw = conn.connection.driver_connection
        step = 200_000
        if database.dialect == "postgresql":
            with raw.cursor() as cur, cur.copy(f"COPY warning_subscribers ({', '.join(cols)}) FROM STDIN") as copy:
                for start in range(0, n, step):
                    for row in rows(start, min(n, start + step)):
                        copy.write_row(row)
        else:
            sql = f"INSERT INTO warning_subscribers ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            for start in range(0, n, step):
                stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLAlchemy stores a UTC time on SQLite
                raw.executemany(sql, ((*r[:-1], stamp) for r in rows(start, min(n, start + step))))
        lone_phones.settle_all(db)  # as the demo's seed does after its bulk insert
        for index in table.indexes:
            index.create(conn)
    if database.dialect == "postgresql":
        # VACUUM as autovacuum would soon: it sets the visibility map, without which PostgreSQL cannot
        # answer from the index alone and reads the table's page of every row.
        with database.bind.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE warning_subscribers"))
    else:
        with database.transaction() as db:
            db.execute(text("ANALYZE"))
    return lon, lat


def _warning(database: Database) -> int:
    now = datetime.now(UTC)
    with database.transaction() as db:
        area = parse_area(db=db, area={"polygon": POLYGON})
        w = WarningMessage(
            identifier=f"45020600000000_{uuid.uuid4().hex[:14]}", sender="bench", msg_type="Alert",
            status="published", origin="local", event_type="rainstorm", level="red", headline="基准测试暴雨红色预警",
            description="基准测试", instruction="", effective=now, expires=now + timedelta(hours=6), area=area.spec,
            area_desc="基准", village_codes=area.village_codes, region_path=area.region_path, department="基准",
            created_at=now, published_at=now,
        )
        db.add(w)
        db.flush()
        delivery.create_deliveries(db=db, warning=w)  # what publication writes
        return w.id


GATEWAY = (
    "import sys\n"
    f"sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})\n"
    "from tests.channels.servers import BatchGateway\n"
    "g = BatchGateway(keep=False).start()\n"
    "print(g.url, flush=True)\n"
    "sys.stdin.read()\n"
)


def _reference_gateway(url: str, n: int) -> float:
    """A bare client posting ``n`` messages in batches of ``BATCH`` to the gateway: seconds."""
    client = httpx.Client(timeout=30)
    client.get(url)  # connected before the clock starts (the gateway answers GET with 501)
    t0 = time.perf_counter()
    for start in range(0, n, BATCH):
        items = [{"to": f"139{i:08d}", "id": f"ref:{i}"} for i in range(start, min(n, start + BATCH))]
        r = client.post(url, json={"text": "基准测试", "messages": items})
        r.raise_for_status()
        r.json()
    took = time.perf_counter() - t0
    client.close()
    return took


def _sent(database: Database, wid: int) -> int:
    with database.transaction() as db:
        return db.scalar(select(func.count()).select_from(Delivery).where(
            Delivery.warning_id == wid, Delivery.status == "sent"))


def main() -> None:
    bootstrap()
    rows: list[tuple[str, str, str, str]] = []  # (what, Yingji, reference, ratio / target)
    pg_url = os.environ.get("YINGJI_BENCH_DATABASE_URL", "")
    gw = subprocess.Popen([sys.executable, "-c", GATEWAY], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    url = gw.stdout.readline().strip()
    sms = SmsGateway(url=url, batch=BATCH)
    http.client(30.0).get(url)  # the channel's pooled client, connected as a running worker's is
    try:
        with tempfile.TemporaryDirectory() as tmp, fresh_database(Path(tmp), pg_url=pg_url) as (_url, database):
            dialect = database.dialect
            # 1. batch delivery, rows already written.
            wid = published_with_deliveries(database, N_DELIVER)
            t0 = time.perf_counter()
            handled = delivery.run(database, channels={"sms": sms}, worker="bench", warning_id=wid)
            send_s = time.perf_counter() - t0
            assert _sent(database, wid) == handled == N_DELIVER, handled
            ref_s = _reference_gateway(url, N_DELIVER)
            rows.append((f"hand {N_DELIVER:,} recipients to a loopback batch gateway, {BATCH} per request, 1 worker",
                         f"{N_DELIVER / send_s:,.0f} /s", f"bare client: {N_DELIVER / ref_s:,.0f} /s",
                         f"{(N_DELIVER / send_s) / (N_DELIVER / ref_s):.2f}× the reference; target ≥ 20,000 /s"))
            with database.transaction() as db:
                db.execute(Delivery.__table__.update().values(status="failed"))

            # 2. recipients streamed.
            t0 = time.perf_counter()
            lon, lat = _fill(database, N_POINTS)
            fill_s = time.perf_counter() - t0
            poly = Polygon(POLYGON)
            shapely.prepare(poly)
            t0 = time.perf_counter()
            mask = shapely.contains_xy(poly, lon, lat)
            inside = int(mask.sum())
            contains_s = time.perf_counter() - t0
            phones = np.unique(_owners(N_POINTS)[mask]).size  # different phones inside: one message each
            del lon, lat
            with database.transaction(read=True) as db:
                area = parse_area(db=db, area={"polygon": POLYGON})
                rss0 = _rss_mb()
                t0 = time.perf_counter()
                counted = recipients.count_subscribed(db=db, area=area, event_type="rainstorm")
                count_s = time.perf_counter() - t0
                t0 = time.perf_counter()
                found = sum(len(p) for p in recipients.subscribed_chunks(db=db, area=area, event_type="rainstorm"))
                full_s = time.perf_counter() - t0
                rss1 = _rss_mb()
                tracemalloc.start()
                for _part in recipients.subscribed_chunks(db=db, area=area, event_type="rainstorm"):
                    pass
                _cur, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
            assert counted == phones and found == inside, (counted, phones, found, inside)
            rows.append((f"count the different phones inside the polygon ({phones:,}), {N_POINTS:,} points, grid cells",
                         f"{count_s:.2f} s", f"shapely.contains_xy: {contains_s:.2f} s",
                         f"{count_s / contains_s:.1f}×; target ≤ 3×"))
            rows.append((f"stream them as targets ({found:,}), chunks of {recipients.STREAM_CHUNK:,}, grid cells",
                         f"{full_s:.2f} s", f"shapely.contains_xy: {contains_s:.2f} s",
                         f"{full_s / contains_s:.1f}×"))
            rows.append(("memory while streaming: peak Python allocations / resident growth",
                         f"{peak / 2**20:.0f} MB / {rss1 - rss0:+.0f} MB", "—", "target < 300 MB"))
            if not WHOLE_WARNING:
                return _print(dialect, fill_s, rows)

            # 3. a district-wide warning, from publication to the last recipient handed over.
            t0 = time.perf_counter()
            wid = _warning(database)
            written = delivery.expand(database, wid, send=True, channels={"sms": sms})
            expand_s = time.perf_counter() - t0
            delivery.run(database, channels={"sms": sms}, worker="bench", warning_id=wid)
            total_s = time.perf_counter() - t0
            sent = _sent(database, wid)
            with database.transaction() as db:
                cov = db.get(WarningCoverage, wid)
                reached = cov.reached
            assert sent == written == phones == reached, (sent, written, phones, reached)
            rows.append((f"district-wide warning: publication → {sent:,} recipients handed over, 1 worker",
                         f"{total_s:.1f} s", f"rows written and sent meanwhile by {expand_s:.1f} s",
                         f"{sent / total_s:,.0f} /s; target < 120 s for 600,000 on PostgreSQL"))
    finally:
        gw.terminate()  # the process this script started
        gw.wait(10)
    _print(dialect, fill_s, rows)


def _print(dialect: str, fill_s: float, rows: list[tuple[str, str, str, str]]) -> None:
    print(f"\nDelivery at scale on {dialect} ({N_POINTS:,} subscriber points loaded in {fill_s:.0f} s)\n")
    print("| what | Yingji | reference, same run | ratio / target |")
    print("|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    random.seed(7)
    main()
