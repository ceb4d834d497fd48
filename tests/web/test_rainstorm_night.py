"""The embedded platform never jams: on SQLite (a real file), while a district-wide warning is published
and the in-process workers write its ~50,000 delivery rows and send them to a loopback SMS gateway, an
escalation run and an ingestion going on, 50 API writes and 200 page reads (and more reads until every
row is written) made by 6 clients at once all answer in under 2 s, none with a 5xx, and no transaction
holds SQLite's write lock for a second.

Before reads ran without SQLite's write lock and the delivery held no transaction while it sent, pages
queued behind the delivery for 20-30 s and many answered 500 "database is locked"."""

from __future__ import annotations

import itertools
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, update

from tests.conftest import PG_URL
from tests.rainstorm import Timed, WriteLockClock, logged_in, night, publish, run_timed, signed_district_warning, token
from yingji.core import jobs
from yingji.monitoring.models import Sensor
from yingji.risk.models import Hazard
from yingji.warnings.models import Delivery, WarningCoverage

PAGES = [
    "/",
    "/risk",
    "/risk/major-hazards",
    "/resources/warehouses",
    "/monitoring",
    "/warnings",
    "/public/warnings",
    "/api/v1/warnings/map.geojson",
    "/api/v1/monitoring/sensors.geojson",
    "/api/v1/geo/boundaries?level=township",
    "/api/v1/resources/map/teams.geojson",
    "/api/v1/monitoring/alarms",
]


@pytest.mark.slow
@pytest.mark.timing
@pytest.mark.skipif(bool(PG_URL), reason="SQLite's single write lock is what this test is about")
def test_pages_and_writes_answer_while_the_workers_are_busy(demo_templates, tmp_path: Path) -> None:
    url = demo_templates.copy("night")  # a copy of the session's seeded demo, committed, of its own
    with night(url, tmp_path, gateway_delay_s=0.003) as n:
        wid = signed_district_warning(n.base_url)
        with n.database.transaction(read=True) as db:
            sensors = list(db.scalars(select(Sensor.code).order_by(Sensor.id).limit(40)))

        # An escalation run with work to do: every open hazard past its deadline.
        with n.database.transaction() as db:
            db.execute(update(Hazard).values(deadline=datetime.now(UTC) - timedelta(days=5), escalation_level=0))
        escalation = threading.Thread(target=jobs.run_job, args=(n.database, "risk.escalate_overdue_hazards"))

        # An ingestion: 40 batches of 100 readings (20 gauges, 5 readings each) over the last hours.
        duty = token(n.base_url, "duty")

        def ingest() -> None:
            start = datetime.now(UTC) - timedelta(hours=3)
            with httpx.Client(base_url=n.base_url, headers=duty, timeout=60) as c:
                for b in range(40):
                    batch = [
                        {"sensor": code, "ts": (start + timedelta(seconds=30 * (b * 5 + i))).isoformat(), "value": 1.0}
                        for i in range(5)
                        for code in sensors[:20]
                    ]
                    c.post("/api/v1/monitoring/readings", json=batch)

        ingestion = threading.Thread(target=ingest)

        # The district-wide publication: the request, then the worker writing ~50,000 delivery rows in
        # chunks and sending them, all inside the measured phase.
        published: list[Timed] = []

        def publish_now() -> None:
            t0 = time.perf_counter()
            r = publish(n.base_url, wid)
            published.append(Timed("POST publish (district-wide)", r.status_code, time.perf_counter() - t0))

        publication = threading.Thread(target=publish_now)

        page_clients = [logged_in(n.base_url, "duty") for _ in range(4)]
        api = httpx.Client(base_url=n.base_url, headers=duty, timeout=60)
        rr = itertools.cycle(page_clients)

        def reads(k: int) -> list:
            out = []
            for i in range(k):
                path, c = PAGES[i % len(PAGES)], next(rr)
                out.append((path, lambda c=c, path=path: c.get(path)))
            return out

        calls = reads(200)
        now = datetime.now(UTC)
        for i in range(50):
            if i % 2:
                reading = [
                    {"sensor": sensors[i % len(sensors)], "ts": (now - timedelta(seconds=i)).isoformat(), "value": 2}
                ]
                calls.append(("POST readings", lambda r=reading: api.post("/api/v1/monitoring/readings", json=r)))
            else:
                draft = {
                    "event_type": "rainstorm",
                    "level": "yellow",
                    "headline": f"柳江区应急管理局发布暴雨黄色预警（草稿 {i}）",
                    "description": "预计未来 6 小时内降雨量将达 50 毫米以上。",
                    "instruction": "注意防范。",
                    "effective": now.isoformat(),
                    "expires": (now + timedelta(hours=6)).isoformat(),
                    "area": {"regions": ["450206100000"]},
                }
                calls.append(("POST warning draft", lambda d=draft: api.post("/api/v1/warnings", json=d)))
        # Interleave writes among the reads, as a duty night would.
        calls = [c for pair in itertools.zip_longest(calls[:200:4], calls[200:]) for c in pair if c] + [
            c for i, c in enumerate(calls[:200]) if i % 4
        ]

        def state() -> tuple[bool | None, int, int]:
            """(rows still being written?, rows written, rows sent) of the district-wide warning."""
            with n.database.transaction(read=True) as db:
                expanding = db.scalar(select(WarningCoverage.expanding).where(WarningCoverage.warning_id == wid))
                rows = db.scalar(select(func.count()).where(Delivery.warning_id == wid))
                sent = db.scalar(select(func.count()).where(Delivery.warning_id == wid, Delivery.status == "sent"))
            return expanding, rows, sent

        clock = WriteLockClock()
        with clock.installed():
            publication.start()
            escalation.start()
            ingestion.start()
            results = run_timed(calls, clients=6)
            # Reads go on (two clients) until the worker has written every row and sends are under way:
            # the whole expansion is measured however slowly the machine runs.
            rounds, deadline = 0, time.monotonic() + 240
            while time.monotonic() < deadline:
                expanding, rows, sent = state()
                if published and expanding is False and sent > 0:
                    break
                results += run_timed(reads(12), clients=2)
                rounds += 1
            publication.join(120)
            escalation.join(60)
            ingestion.join(60)
        expanding, rows, sent_after = state()
        with n.database.transaction(read=True) as db:
            escalated = db.scalar(select(func.count()).where(Hazard.escalation_level > 0))
            expected = db.scalar(select(WarningCoverage.expected).where(WarningCoverage.warning_id == wid))
        for c in page_clients:
            c.close()
        api.close()

    longest = sorted(clock.held)[-5:]
    print(
        f"\n{len(results)} requests ({rounds} extra rounds of reads), publish {published[0].seconds:.2f} s, "
        f"{sent_after} of {rows} sent, {len(clock.held)} write transactions, longest {longest}",
        sorted(((r.seconds, r.label) for r in results), reverse=True)[:8],
        sorted(clock.by, reverse=True)[:12],
    )
    assert len(results) >= 250
    failed = [r for r in results + published if r.status >= 500]
    slow = [r for r in results if r.seconds >= 2.0]
    assert failed == [] and slow == [], (failed[:5], slow[:5])
    assert all(r.status in (200, 201) for r in results), [r for r in results if r.status not in (200, 201)][:5]
    assert published and published[0].status == 200, published
    # The publication was delivered meanwhile: every row written, sending under way but not over.
    assert expanding is False and rows == expected > 40_000, (rows, expected)
    assert 0 < sent_after < rows
    assert escalated > 0
    # The workers' transactions (the chunks of the publication's rows among them) hold SQLite's write lock
    # briefly: the publication used to hold it 6-7 s inserting every row in one transaction. (On a busy
    # 2-core machine a transaction of a thread starved of CPU holds it longer than its work takes, so the
    # bound is the requests' 2 s; the figures measured are in README.md.)
    background = [held for held, thread in clock.by if not thread.startswith("AnyIO")]
    assert background and max(background) < 2.0, sorted(background)[-5:]
