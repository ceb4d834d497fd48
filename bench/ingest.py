"""Ingestion benchmark: readings per second end to end (parse, dedupe, store, rule evaluation) through HTTP
batches of 10,000 and through MQTT, against a plain bulk insert of the same number of rows into the same
table, on SQLite and (when reachable) PostgreSQL. Runnable alone:

    .venv/bin/python bench/ingest.py [--readings 100000] [--mqtt-readings 20000]

PostgreSQL: ``YINGJI_BENCH_PG_URL`` (default postgresql://postgres@127.0.0.1:5432/test; a fresh schema is
created and dropped). MQTT: ``YINGJI_MQTT_URL`` (default mqtt://127.0.0.1:1883).

The network: 1,000 sensors (600 rain gauges, 200 water levels, 200 gas detectors) reporting every minute,
all built-in rule packs on. Rain falls on a tenth of the gauges at a time (light rain), so the rainfall
windows are evaluated but few alarms open: the steady state of a duty night, not a storm.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import httpx
from sqlalchemy import create_engine, func, insert, select, text

from yingji.core.actor import SYSTEM
from yingji.core.clock import utcnow
from yingji.core.db import Database, make_engine

SENSORS = {"rain_gauge": 600, "water_level": 200, "gas": 200}
BATCH = 10_000
PASSWORD = "bench-password-2026"


def _setup(url: str) -> list[tuple[str, str]]:
    from yingji.accounts import service as accounts_service
    from yingji.accounts.schemas import UserCreate
    from yingji.bootstrap import bootstrap
    from yingji.core.migrate import upgrade
    from yingji.geo import service as geo_service
    from yingji.monitoring import service
    from yingji.monitoring.schemas import SensorCreate
    from yingji.registry import service as registry_service

    bootstrap()
    upgrade(url)
    database = Database.from_url(url)
    with database.transaction() as db:
        geo_service.load_shipped_district(db=db)
        registry_service.create_department(db=db, actor=SYSTEM, code="qx", name="气象局")
        village = geo_service.region_infos(db=db, level="village")[0]
        accounts_service.create_user(
            db=db, actor=SYSTEM, data=UserCreate(username="bench", password=PASSWORD, role="duty_officer")
        )
        sensors = []
        for kind, n in SENSORS.items():
            for i in range(n):
                code = f"B-{kind[:2]}-{i:04d}"
                service.create_sensor(
                    db=db,
                    actor=SYSTEM,
                    data=SensorCreate(
                        code=code, name=code, kind=kind, lon=109.3, lat=24.25, region_code=village.code, interval_s=60
                    ),
                )
                sensors.append((code, kind))
        for pack in ("rainstorm", "landslide", "major_hazard", "waterlogging"):
            service.install_pack(db=db, actor=SYSTEM, pack=pack)
    database.bind.dispose()
    return sensors


def _readings(sensors: list[tuple[str, str]], minutes: int, *, end, rng: random.Random) -> list[dict]:
    out = []
    start = end - timedelta(minutes=minutes)
    for m in range(minutes):
        ts = (start + timedelta(minutes=m)).isoformat()
        for code, kind in sensors:
            if kind == "rain_gauge":
                value = round(rng.uniform(0.1, 1.5), 1) if rng.random() < 0.1 else 0.0
            elif kind == "water_level":
                value = round(80 + rng.uniform(-0.2, 0.2), 2)
            else:
                value = round(rng.uniform(0, 4), 1)
            out.append({"sensor": code, "ts": ts, "value": value})
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_http(url: str, readings: list[dict]) -> float:
    import uvicorn

    from yingji.app import create_app
    from yingji.core.config import Settings

    database = Database.from_url(url)
    app = create_app(settings=Settings(data_dir=Path(tempfile.mkdtemp()), secret_key="bench"), database=database)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    bodies = [json.dumps(readings[i : i + BATCH]).encode() for i in range(0, len(readings), BATCH)]
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
        token = client.post("/api/v1/auth/token", json={"username": "bench", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}", "Content-Type": "application/json"}
        t0 = time.perf_counter()
        accepted = 0
        for body in bodies:
            r = client.post("/api/v1/monitoring/readings", content=body, headers=headers)
            r.raise_for_status()
            accepted += r.json()["accepted"]
        elapsed = time.perf_counter() - t0
    assert accepted == len(readings), (accepted, len(readings))
    server.should_exit = True
    thread.join(10)
    database.bind.dispose()
    return elapsed


def bench_mqtt(url: str, readings: list[dict], mqtt_url: str, *, grouped: bool = False) -> float | None:
    import paho.mqtt.client as mqtt

    from yingji.monitoring.mqtt import Subscriber

    database = Database.from_url(url)
    sub = Subscriber(database, mqtt_url, client_id=f"bench-{uuid.uuid4().hex[:8]}", session_expiry_s=0)
    try:
        sub.start()
    except (ConnectionError, OSError):
        return None
    host, port = sub.host, sub.port
    if grouped:  # one message per sensor holding all its readings (a gateway flushing its buffer)
        by_sensor: dict[str, list] = {}
        for r in readings:
            by_sensor.setdefault(r["sensor"], []).append({"ts": r["ts"], "value": r["value"]})
        payloads = [(f"yingji/readings/{code}", json.dumps(items)) for code, items in by_sensor.items()]
    else:
        payloads = [
            (f"yingji/readings/{r['sensor']}", json.dumps({"ts": r["ts"], "value": r["value"]})) for r in readings
        ]
    pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    pub.max_inflight_messages_set(1000)
    pub.connect(host, port)
    pub.loop_start()
    t0 = time.perf_counter()
    infos = [pub.publish(topic, body, qos=1) for topic, body in payloads]
    for info in infos:
        info.wait_for_publish(60)
    deadline = time.monotonic() + 120
    c = sub.counters
    while c.accepted + c.duplicates + c.rejected < len(readings) and time.monotonic() < deadline and not c.errors:
        time.sleep(0.01)
    elapsed = time.perf_counter() - t0
    pub.loop_stop()
    pub.disconnect()
    sub.stop()
    database.bind.dispose()
    if c.accepted < len(readings):
        print(f"MQTT: {c.accepted} of {len(readings)} stored ({c})"[:500], file=sys.stderr)
        return None
    return elapsed


def bench_plain(url: str, readings: list[dict], *, copy: bool = False) -> float:
    from yingji.monitoring.models import Reading, Sensor
    from yingji.monitoring.service.readings import parse_ts
    from yingji.monitoring.service.storage import ensure_months

    engine = make_engine(url)
    with engine.begin() as conn:
        ids = dict(conn.execute(select(Sensor.code, Sensor.id)).all())
    rows = [{"sensor_id": ids[r["sensor"]], "ts": parse_ts(r["ts"]), "value": r["value"], "cum": 0.0} for r in readings]
    with Database(engine).transaction() as db:  # PostgreSQL: the months' partitions, before timing
        ensure_months(db=db, months={r["ts"] for r in rows})
    t0 = time.perf_counter()
    for i in range(0, len(rows), BATCH):
        with engine.begin() as conn:
            if copy:  # PostgreSQL COPY, the fastest way in
                raw = conn.connection.dbapi_connection
                with (
                    raw.cursor() as cur,
                    cur.copy("COPY monitoring_readings (sensor_id, ts, value, cum) FROM STDIN") as cp,
                ):
                    for r in rows[i : i + BATCH]:
                        cp.write_row((r["sensor_id"], r["ts"], r["value"], r["cum"]))
            else:
                conn.execute(insert(Reading.__table__), rows[i : i + BATCH])
    elapsed = time.perf_counter() - t0
    with engine.begin() as conn:
        assert conn.scalar(select(func.count()).select_from(Reading.__table__)) >= len(rows)
    engine.dispose()
    return elapsed


def run(label: str, url: str, args: argparse.Namespace) -> list[tuple]:
    sensors = _setup(url)
    rng = random.Random(7)
    now = utcnow().replace(second=0, microsecond=0)
    n_minutes = max(1, args.readings // len(sensors))
    m_minutes = max(1, args.mqtt_readings // len(sensors))
    pg = url.startswith("postgresql")
    # Disjoint time ranges, oldest first, so that each path writes new readings after the previous one.
    spans = [
        ("plain", n_minutes),
        ("copy", n_minutes if pg else 0),
        ("http", n_minutes),
        ("mqtt", m_minutes),
        ("grouped", m_minutes),
    ]
    data, end = {}, now
    for name, minutes in reversed(spans):
        data[name] = _readings(sensors, minutes, end=end, rng=rng) if minutes else []
        end -= timedelta(minutes=minutes + 1)
    t_plain = bench_plain(url, data["plain"])
    refs = [("plain bulk insert (SQLAlchemy executemany)", len(data["plain"]) / t_plain, t_plain, len(data["plain"]))]
    if pg:
        t_copy = bench_plain(url, data["copy"], copy=True)
        refs.append(("plain COPY", len(data["copy"]) / t_copy, t_copy, len(data["copy"])))
    best = max(r[1] for r in refs)
    out = [(label, name, n, secs, rate, rate / best) for name, rate, secs, n in refs]
    t_http = bench_http(url, data["http"])
    out.append(
        (
            label,
            "HTTP batches of 10,000, rules on",
            len(data["http"]),
            t_http,
            len(data["http"]) / t_http,
            len(data["http"]) / t_http / best,
        )
    )
    for name, key, grouped in (
        ("MQTT, one message per reading", "mqtt", False),
        (f"MQTT, {m_minutes} readings per message", "grouped", True),
    ):
        secs = bench_mqtt(url, data[key], args.mqtt_url, grouped=grouped)
        n = len(data[key])
        out.append((label, name, n, secs, n / secs if secs else None, n / secs / best if secs else None))
    return out


def main() -> None:
    import logging

    logging.basicConfig(level=logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--readings", type=int, default=100_000)
    parser.add_argument("--mqtt-readings", type=int, default=20_000)
    parser.add_argument("--mqtt-url", default=os.environ.get("YINGJI_MQTT_URL", "mqtt://127.0.0.1:1883"))
    parser.add_argument(
        "--pg-url", default=os.environ.get("YINGJI_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
    )
    args = parser.parse_args()
    os.environ.setdefault("YINGJI_SECRET_KEY", "bench")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += run("SQLite", f"sqlite:///{tmp}/bench.db", args)
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = None
    try:
        admin = create_engine(args.pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # no PostgreSQL here: say so in the table
        print(f"PostgreSQL not reachable ({type(exc).__name__}): skipped", file=sys.stderr)
        admin = None
    if admin is not None:
        sep = "&" if "?" in args.pg_url else "?"
        try:
            rows += run("PostgreSQL", f"{args.pg_url}{sep}options=-csearch_path%3D{schema}", args)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    print()
    print("| database | path | readings | seconds | readings/s | vs fastest plain insert |")
    print("|---|---|---:|---:|---:|---:|")
    for db, path, n, secs, rate, ratio in rows:
        if secs is None:
            print(f"| {db} | {path} | {n:,} | — | failed (see above) | — |")
        else:
            print(f"| {db} | {path} | {n:,} | {secs:.2f} | {rate:,.0f} | {ratio:.2f} |")


if __name__ == "__main__":
    main()
