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
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support.demo_copy import demo_client, print_table, timed

ROUNDS = int(os.environ.get("BENCH_ROUNDS", 10))


def main() -> None:
    c, work = demo_client("duty")
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
    print_table(times)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
