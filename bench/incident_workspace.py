"""Benchmark of the command workspace of a long incident: 5,000 timeline entries and 200 dispatch orders,
on a copy of a seeded demo database (SQLite file; the copy is thrown away), served by uvicorn on a
loopback port (BENCH_PORT, default 8400) as in production:

    yingji db upgrade && yingji seed demo          # with YINGJI_DATABASE_URL=sqlite:////tmp/demo.db
    BENCH_DEMO_DB=/tmp/demo.db .venv/bin/python bench/incident_workspace.py

The incident is reported through the API; its 5,000 entries and 200 orders (labelled 压测) are written
straight into its tables, since the benchmark measures reading them. Then it times, over BENCH_ROUNDS
(default 30) rounds: opening the workspace page (/incidents/{id}, HTML, the duty officer's session) and
its JSON (/api/v1/incidents/{id}/workspace); and how long a new timeline entry posted by the duty officer
takes to reach a second open workspace (the leader's server-sent event stream). Targets: open < 300 ms,
new entry < 1 s.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

ROUNDS = int(os.environ.get("BENCH_ROUNDS", 30))
PORT = int(os.environ.get("BENCH_PORT", 8400))
ENTRIES, ORDERS = 5000, 200
BODY = {"kind": "flood", "occurred_at": "2026-12-02T08:00:00+08:00", "region_code": "450206100000",
        "trapped": 3, "description": "压测：城区内涝"}
PASSWORDS = {"duty": "yingji-duty-2026", "leader": "yingji-leader-2026"}


def fill(database, incident_id: int) -> None:
    """5,000 timeline entries and 200 orders (with their first step) in a few transactions."""
    from yingji.core.clock import utcnow
    from yingji.incidents.command_models import DispatchOrder, OrderStep
    from yingji.incidents.models import TimelineEntry

    start = utcnow() - timedelta(hours=48)
    with database.transaction() as db:
        db.add_all(TimelineEntry(incident_id=incident_id, at=start + timedelta(seconds=30 * i), kind="message",
                                 text=f"压测记录 {i}：巡查堤段，水位持平", actor_name="压测") for i in range(ENTRIES))
    statuses = ("sent", "acknowledged", "en_route", "on_scene", "released")
    with database.transaction() as db:
        for n in range(1, ORDERS + 1):
            order = DispatchOrder(incident_id=incident_id, number=n, region_path="", kind="team",
                                  receiver=f"压测队伍 {n}", team_id=None, lines=[], instructions="压测",
                                  status=statuses[n % 5], previous_state={}, sent_at=start, sent_by="压测",
                                  acknowledged_by="", version=1)
            db.add(order)
            db.flush()
            db.add(OrderStep(order_id=order.id, from_status="", to_status="sent", at=start, by="压测", via="system"))


def serve(database, work: Path):
    import uvicorn

    from yingji.app import create_app
    from yingji.core.config import Settings

    app = create_app(settings=Settings(data_dir=work, secret_key="bench"), database=database)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=PORT, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread


def api_client(base: str, username: str):
    import httpx

    c = httpx.Client(base_url=base, timeout=30)
    r = c.post("/api/v1/auth/token", json={"username": username, "password": PASSWORDS[username]})
    c.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    return c


def page_client(base: str, username: str):
    import httpx

    c = httpx.Client(base_url=base, timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
    c.post("/login", data={"username": username, "password": PASSWORDS[username], "csrf_token": token})
    return c


def listen(c, path: str, events: queue.Queue, stop: threading.Event) -> None:
    with c.stream("GET", path, params={"max_s": 3600}) as r:
        name = None
        for line in r.iter_lines():
            if stop.is_set():
                return
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: ") and name == "change":
                events.put((json.loads(line[6:]), time.perf_counter()))


def ms(xs: list[float]) -> tuple[float, float, float]:
    xs = sorted(xs)
    return statistics.median(xs) * 1000, xs[min(len(xs) - 1, int(len(xs) * 0.95))] * 1000, xs[-1] * 1000


def main() -> None:
    from yingji.bootstrap import bootstrap
    from yingji.core.db import Database

    source = os.environ.get("BENCH_DEMO_DB")
    if not source:
        sys.exit("BENCH_DEMO_DB=<path of a seeded demo SQLite file> is required")
    work = Path(tempfile.mkdtemp())
    shutil.copy(source, work / "demo.db")
    bootstrap()
    database = Database.from_url(f"sqlite:///{work / 'demo.db'}")
    server, thread = serve(database, work)
    base = f"http://127.0.0.1:{PORT}"
    duty, leader = api_client(base, "duty"), api_client(base, "leader")
    incident = duty.post("/api/v1/incidents", json=BODY).json()
    iid = incident["id"]
    fill(database, iid)
    pages = page_client(base, "duty")
    assert pages.get(f"/incidents/{iid}").status_code == 200  # warm: templates, road graph
    opened, opened_json = [], []
    for _ in range(ROUNDS):
        t = time.perf_counter()
        r = pages.get(f"/incidents/{iid}")
        opened.append(time.perf_counter() - t)
        assert r.status_code == 200 and "压测记录 4999" in r.text
        t = time.perf_counter()
        r = duty.get(f"/api/v1/incidents/{iid}/workspace")
        opened_json.append(time.perf_counter() - t)
        assert len(r.json()["orders"]) == ORDERS and r.json()["timeline_total"] > ENTRIES
    events: queue.Queue = queue.Queue()
    stop = threading.Event()
    threading.Thread(target=listen, args=(leader, f"/api/v1/incidents/{iid}/stream", events, stop),
                     daemon=True).start()
    events.get(timeout=10)  # the token when the leader's workspace opened
    reached = []
    for i in range(ROUNDS):
        t = time.perf_counter()
        entry = duty.post(f"/api/v1/incidents/{iid}/messages", json={"text": f"新情况 {i}"}).json()
        while True:
            change, at = events.get(timeout=10)
            if change["last_id"] >= entry["id"]:
                break
        reached.append(at - t)
        time.sleep(0.1)
    stop.set()
    print(f"incident #{iid}: {ENTRIES} timeline entries, {ORDERS} orders; {ROUNDS} rounds")
    print(f"{'measure':<44}{'median ms':>10}{'p95 ms':>10}{'max ms':>10}{'target':>10}")
    for name, xs, target in (("open the workspace page (HTML)", opened, "< 300"),
                             ("open the workspace (JSON API)", opened_json, "< 300"),
                             ("new entry reaches a second workspace (SSE)", reached, "< 1000")):
        med, p95, top = ms(xs)
        print(f"{name:<44}{med:>10.0f}{p95:>10.0f}{top:>10.0f}{target:>10}")
    server.should_exit = True
    thread.join(10)
    database.bind.dispose()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
