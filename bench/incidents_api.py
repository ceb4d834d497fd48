"""Benchmark of the incident API a duty officer uses while taking reports, on a copy of a seeded demo
database (SQLite file; the copy is thrown away):

    yingji db upgrade && yingji seed demo          # with YINGJI_DATABASE_URL=sqlite:////tmp/demo.db
    BENCH_DEMO_DB=/tmp/demo.db .venv/bin/python bench/incidents_api.py

Prints median and p95 (ms) of reporting an incident, a casualty change (regrade and re-derived
obligations) and reading the incident back, over BENCH_ROUNDS (default 50) rounds, and one list page.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support.demo_copy import demo_client, print_table, timed

ROUNDS = int(os.environ.get("BENCH_ROUNDS", 50))
BODY = {"kind": "work_safety", "occurred_at": "2026-12-02T08:00:00+08:00", "region_code": "450206100000",
        "deaths": 1}


def main() -> None:
    c, work = demo_client("duty")
    times: dict[str, list[float]] = {"report": [], "casualty change": [], "detail": []}
    for _ in range(ROUNDS):
        dt, r = timed(lambda: c.post("/api/v1/incidents", json=BODY))
        assert r.status_code == 201, r.text
        times["report"].append(dt)
        url = f"/api/v1/incidents/{r.json()['id']}"
        body = {"version": 1, "deaths": 3, "source": "bench"}
        times["casualty change"].append(timed(lambda u=url, b=body: c.post(u + "/casualties", json=b))[0])
        times["detail"].append(timed(lambda u=url: c.get(u))[0])
    listed, _ = timed(lambda: c.get("/api/v1/incidents?page_size=50"))
    print_table(times, width=18)
    print(f"{'list of 50':<18}{listed * 1000:>10.0f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
