"""Benchmark of the incident's reports on a copy of a seeded demo database (SQLite file; the copy is thrown
away): the impact estimate of the open rainstorm's affected area, a 灾情续报 (checks, obligations), its xlsx
export, and the after-action report as .docx and as PDF (map drawn, fonts embedded).

    yingji db upgrade && yingji seed demo          # with YINGJI_DATABASE_URL=sqlite:////tmp/demo.db
    BENCH_DEMO_DB=/tmp/demo.db .venv/bin/python bench/incident_reports.py

Prints median and p95 (ms) over BENCH_ROUNDS (default 10) rounds.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

ROUNDS = int(os.environ.get("BENCH_ROUNDS", 10))


def timed(fn) -> tuple[float, object]:
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def main() -> None:
    from fastapi.testclient import TestClient

    from yingji.app import create_app
    from yingji.core.config import Settings

    source = os.environ.get("BENCH_DEMO_DB")
    if not source:
        sys.exit("BENCH_DEMO_DB=<path of a seeded demo SQLite file> is required")
    work = Path(tempfile.mkdtemp())
    shutil.copy(source, work / "demo.db")
    settings = Settings(data_dir=work, secret_key="bench", database_url=f"sqlite:///{work / 'demo.db'}")
    c = TestClient(create_app(settings=settings))
    token = c.post("/api/v1/auth/token", json={"username": "duty", "password": "yingji-duty-2026"})
    c.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    open_rain = c.get("/api/v1/incidents", params={"status": "open", "kind": "rainstorm"}).json()["items"][0]
    url = f"/api/v1/incidents/{open_rain['id']}"
    last = c.get(url + "/disaster-reports").json()["items"][-1]
    times: dict[str, list[float]] = {"impact estimate": [], "disaster follow-up": [], "report xlsx": [],
                                     "report .docx": [], "report PDF": []}
    for _ in range(ROUNDS):
        dt, r = timed(lambda: c.get(url + "/impact"))
        assert r.status_code == 200, r.text
        times["impact estimate"].append(dt)
        body = {"kind": "follow_up", "figures": last["figures"]}
        dt, r = timed(lambda b=body: c.post(url + "/disaster-reports", json=b))
        assert r.status_code == 201, r.text
        times["disaster follow-up"].append(dt)
        xlsx = f"/api/v1/incidents/disaster-reports/{r.json()['id']}/xlsx"
        times["report xlsx"].append(timed(lambda u=xlsx: c.get(u))[0])
        times["report .docx"].append(timed(lambda: c.get(url + "/report.docx"))[0])
        times["report PDF"].append(timed(lambda: c.get(url + "/report.pdf"))[0])
    print(f"{'call':<20}{'median ms':>10}{'p95 ms':>10}")
    for name, xs in times.items():
        xs.sort()
        p95 = xs[min(len(xs) - 1, int(len(xs) * 0.95))]
        print(f"{name:<20}{statistics.median(xs) * 1000:>10.0f}{p95 * 1000:>10.0f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
