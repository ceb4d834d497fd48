"""The embedded platform never jams: on SQLite (a real file), with the in-process workers delivering a
district-wide warning to a loopback SMS gateway, an escalation run and an ingestion going on, 50 API
writes and 200 page reads made by 6 clients at once all answer in under 2 s, none with a 5xx.

Before reads ran without SQLite's write lock and the delivery held no transaction while it sent, pages
queued behind the delivery for 20-30 s and many answered 500 "database is locked"."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, update

from tests.conftest import PG_URL
from tests.rainstorm import logged_in, night, publish_district_warning, run_timed, token
from yingji.core import jobs
from yingji.monitoring.models import Sensor
from yingji.risk.models import Hazard
from yingji.warnings.models import Delivery

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
        wid = publish_district_warning(n.base_url)
        with n.database.transaction(read=True) as db:
            targets = db.scalar(select(func.count()).where(Delivery.warning_id == wid))
            sensors = list(db.scalars(select(Sensor.code).order_by(Sensor.id).limit(40)))
        assert targets > 40_000  # district-wide: every subscriber, person and loudspeaker

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

        page_clients = [logged_in(n.base_url, "duty") for _ in range(4)]
        api = httpx.Client(base_url=n.base_url, headers=duty, timeout=60)
        calls = []
        rr = itertools.cycle(page_clients)
        for i in range(200):
            path = PAGES[i % len(PAGES)]
            c = next(rr)
            calls.append((path, lambda c=c, path=path: c.get(path)))
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

        with n.database.transaction(read=True) as db:
            sent_before = db.scalar(select(func.count()).where(Delivery.warning_id == wid, Delivery.status == "sent"))
        escalation.start()
        ingestion.start()
        results = run_timed(calls, clients=6)
        escalation.join(60)
        ingestion.join(60)
        with n.database.transaction(read=True) as db:
            sent_after = db.scalar(select(func.count()).where(Delivery.warning_id == wid, Delivery.status == "sent"))
            escalated = db.scalar(select(func.count()).where(Hazard.escalation_level > 0))
        for c in page_clients:
            c.close()
        api.close()

    assert len(results) == 250
    failed = [r for r in results if r.status >= 500]
    slow = [r for r in results if r.seconds >= 2.0]
    assert failed == [] and slow == [], (failed[:5], slow[:5])
    assert all(r.status in (200, 201) for r in results), [r for r in results if r.status not in (200, 201)][:5]
    # The workers really were busy meanwhile: the delivery advanced, and was not over before the load was.
    assert sent_after > sent_before
    assert sent_after < targets
    assert escalated > 0
