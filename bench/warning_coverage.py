"""Benchmark of the coverage of one warning (``GET /api/v1/warnings/{id}/coverage``, the warning's page):
a district-wide warning with ``BENCH_ROWS`` delivery rows (600,000), statuses mixed.

    .venv/bin/python bench/warning_coverage.py                    # SQLite (a temporary file)
    YINGJI_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/warning_coverage.py
                                                                  # SQLite, then PostgreSQL (a fresh schema)

Rows, generated: recipients in 300 villages (some with none), one SMS row each; of those, 55 % sent (over
the first 20 minutes), 15 % failed, the rest pending or being sent; a failed SMS has an e-mail fallback
row on every second recipient (sent or pending), one recipient in ten has a second first-choice row (a
webhook), and one area broadcast row with its population. The warning's indexes are those left after
migration ``warnings_0009`` (the three it drops are dropped here when present).

Lines: before (``tests/warnings/coverage_reference.py``: every row of the warning read into Python, the
code replaced on 2026-12-03) and after (``service/coverage.for_warning``: aggregate queries), each the
best of ``BENCH_REPEAT`` timed runs after one warm-up, and its peak of Python allocations (tracemalloc,
a run of its own). Both answers are checked equal. Target: under 1 s for the after line.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text
from tests.warnings.coverage_reference import for_warning as reference
from tests.warnings.fresh import fresh_database

from yingji.bootstrap import bootstrap
from yingji.core.actor import SYSTEM
from yingji.core.db import Database
from yingji.warnings.models import Delivery, WarningMessage
from yingji.warnings.service import coverage, tally

N_ROWS = int(os.environ.get("BENCH_ROWS", 600_000))
REPEAT = int(os.environ.get("BENCH_REPEAT", 3))
DROPPED = ("ix_warning_deliveries_due", "ix_warning_deliveries_warning_id", "ix_warning_deliveries_village_code")
VILLAGES = [f"4502061{t:02d}{v:03d}" for t in range(10) for v in range(1, 31)]


def _rows(wid: int, now: datetime, n: int):
    """About ``n`` rows of the warning, in chunks of 10,000 dicts."""
    rnd = random.Random(18)
    chunk: list[dict] = []
    written, i = 0, 0
    base = {"warning_id": wid, "recipient_kind": "subscriber", "name": "", "fallbacks": {}, "attempts": 0,
            "available_at": now, "created_at": now, "reach": None, "fallback_of": None}

    def row(ref: str, channel: str, address: str, village: str | None, status: str, **kw) -> dict:
        sent = now + timedelta(seconds=rnd.randint(5, 1200)) if status == "sent" else None
        return base | {"recipient_ref": ref, "channel": channel, "address": address, "village_code": village,
                       "status": status, "sent_at": sent} | kw

    chunk.append(row(f"area:{wid}", "area_broadcast", f"area:{wid}", None, "sent", recipient_kind="area",
                     reach=620_000))
    while written < n - 1:
        ref = f"subscriber:{i}"
        village = rnd.choice(VILLAGES) if rnd.random() > 0.01 else None
        status = rnd.choices(["sent", "failed", "pending", "sending"], [55, 15, 20, 10])[0]
        chunk.append(row(ref, "sms", f"138{i:08d}", village, status))
        if status == "failed" and i % 2:
            chunk.append(row(ref, "email", f"{i}@example.cn", village, rnd.choice(["sent", "pending"]),
                             fallback_of=-1))  # the id of the failed row is not known here; any id tells "fallback"
        if i % 10 == 0:
            chunk.append(row(ref, "webhook", f"https://hook.example.cn/{i}", village,
                             rnd.choice(["sent", "failed"])))
        i += 1
        if len(chunk) >= 10_000:
            written += len(chunk)
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _warning(database: Database, n: int) -> tuple[int, int]:
    now = datetime.now(UTC)
    with database.transaction() as db:
        w = WarningMessage(
            identifier=f"45020600000000_{uuid.uuid4().hex[:14]}", sender="yjj.bench", msg_type="Alert",
            status="published", origin="local", event_type="rainstorm", level="orange", headline="测试暴雨橙色预警",
            description="测试", instruction="", effective=now, expires=now + timedelta(hours=6),
            area={"regions": ["450206000000"]}, area_desc="全区", village_codes=VILLAGES,
            region_path="450206000000", department="测试", created_at=now, published_at=now,
        )
        db.add(w)
        db.flush()
        wid = w.id
    total = 0
    for chunk in _rows(wid, now, n):
        with database.transaction() as db:
            db.execute(insert(Delivery), chunk)
        total += len(chunk)
    with database.transaction() as db:
        tally.recount(db, wid)  # rows written directly: their running figures counted once
        for name in DROPPED:
            db.execute(text(f"DROP INDEX IF EXISTS {name}"))
    with database.bind.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    return wid, total


def _measure(database: Database, f: Callable) -> tuple[float, float, dict]:
    with database.transaction(read=True) as db:
        answer = f(db=db, actor=SYSTEM)  # warm-up: pages in the cache, statements compiled
    best = float("inf")
    for _ in range(REPEAT):
        with database.transaction(read=True) as db:
            t0 = time.perf_counter()
            f(db=db, actor=SYSTEM)
            best = min(best, time.perf_counter() - t0)
    tracemalloc.start()
    with database.transaction(read=True) as db:
        f(db=db, actor=SYSTEM)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best, peak, answer


def run(label: str, pg_url: str) -> list[tuple[str, ...]]:
    out = []
    with tempfile.TemporaryDirectory() as tmp, fresh_database(Path(tmp), pg_url=pg_url) as (_url, database):
        t0 = time.perf_counter()
        wid, n = _warning(database, N_ROWS)
        print(f"{label}: {n:,} rows written in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        before_s, before_mb, before = _measure(database, lambda **kw: reference(warning_id=wid, **kw))
        after_s, after_mb, after = _measure(database, lambda **kw: coverage.for_warning(warning_id=wid, **kw))
        assert after == before, "the aggregate queries disagree with the rows"
        what = f"{label}: coverage of a warning, {n:,} rows, {after['targeted']:,} recipients"
        out.append((what, "before (every row read)", f"{before_s:.2f} s", f"{before_mb:,.0f} MiB", ""))
        out.append((what, "after (aggregate queries)", f"{after_s:.2f} s", f"{after_mb:,.1f} MiB",
                    f"{before_s / after_s:.1f}× faster; target < 1 s"))
    return out


def main() -> None:
    bootstrap()
    rows = run("SQLite", "")
    pg_url = os.environ.get("YINGJI_BENCH_DATABASE_URL", "")
    if pg_url:
        rows += run("PostgreSQL", pg_url)
    print("| what | code | time | peak Python memory | |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
