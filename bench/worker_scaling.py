"""Benchmark of delivery over several worker processes on PostgreSQL: 1, 2 and 4 processes share one
warning's pending SMS rows (claims with ``FOR UPDATE SKIP LOCKED``) and hand them to a loopback batch
gateway, ``BENCH_BATCH`` numbers per request.

    YINGJI_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/worker_scaling.py
    BENCH_DELIVER=200000 BENCH_BATCH=1000 …

Each worker process runs ``delivery.run`` - what ``yingji worker`` (its ``warnings.deliver`` job and the
publication handler) and ``yingji warnings deliver`` run - with its own engine. The processes start,
connect and report ready before the clock starts; the time runs from "go" to the last one done. The
gateway runs in a process of its own (``tests/channels/servers.BatchGateway``), so it competes with the
workers for the machine's cores like a remote cloud would not. Reference, same run: as many bare client
processes posting the same batches to the same gateway (no database): the gateway's and the machine's
ceiling. Works in a fresh schema that is dropped at the end.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from sqlalchemy import func, select
from tests.warnings.fresh import fresh_database, published_with_deliveries

from yingji.bootstrap import bootstrap
from yingji.warnings.models import Delivery

ROOT = Path(__file__).resolve().parents[1]
N_DELIVER = int(os.environ.get("BENCH_DELIVER", 100_000))
BATCH = int(os.environ.get("BENCH_BATCH", 1000))
PROCESSES = (1, 2, 4)
GATEWAY = (
    "import sys, time\n"
    f"sys.path.insert(0, {str(ROOT)!r})\n"
    "from tests.channels.servers import BatchGateway\n"
    "g = BatchGateway(keep=False).start()\n"
    "print(g.url, flush=True)\n"
    "sys.stdin.read()\n"
)


def _child(kind: str, url: str, gateway: str, arg: str) -> None:
    """One worker (``deliver``: database URL, warning id) or one bare client (``bare``: messages)."""
    if kind == "deliver":
        from yingji.channels.sms import SmsGateway
        from yingji.core.db import Database
        from yingji.warnings.service import delivery

        bootstrap()
        database = Database.from_url(url)
        with database.transaction(read=True) as db:  # connected before the clock starts
            db.scalar(select(func.count()).select_from(Delivery).where(Delivery.id < 0))
        sms = SmsGateway(url=gateway, batch=BATCH)
        print("ready", flush=True)
        sys.stdin.readline()
        n = delivery.run(database, channels={"sms": sms}, worker=f"bench-{os.getpid()}", warning_id=int(arg))
        print(n, flush=True)
        return
    client = httpx.Client(timeout=30)
    client.get(gateway)  # connected before the clock starts (the gateway answers GET with 501)
    print("ready", flush=True)
    sys.stdin.readline()
    total = int(arg)
    for start in range(0, total, BATCH):
        items = [{"to": f"139{i:08d}", "id": f"ref:{os.getpid()}:{i}"} for i in range(start, min(total, start + BATCH))]
        client.post(gateway, json={"text": "基准测试", "messages": items}).raise_for_status()
    print(total, flush=True)


def _run(n: int, args: list[str]) -> tuple[float, int]:
    """``n`` child processes with ``args``: seconds from "go" to the last one done, and their total."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    procs = [subprocess.Popen([sys.executable, __file__, "--child", *args], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=env) for _ in range(n)]
    for p in procs:
        line = p.stdout.readline()
        assert line.strip() == "ready", line
    t0 = time.perf_counter()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    total = sum(int(p.stdout.readline()) for p in procs)
    took = time.perf_counter() - t0
    for p in procs:
        p.wait(30)
    return took, total


def _sent(database, wid: int) -> int:
    with database.transaction() as db:
        return db.scalar(select(func.count()).select_from(Delivery).where(
            Delivery.warning_id == wid, Delivery.status == "sent"))


def main() -> None:
    pg_url = os.environ.get("YINGJI_BENCH_DATABASE_URL", "")
    if not pg_url.startswith("postgresql"):
        sys.exit("set YINGJI_BENCH_DATABASE_URL to a PostgreSQL database (several processes need it)")
    bootstrap()
    gw = subprocess.Popen([sys.executable, "-c", GATEWAY], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    gateway = gw.stdout.readline().strip()
    rows: list[tuple[str, ...]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp, fresh_database(Path(tmp), pg_url=pg_url) as (url, database):
            base = None
            for n in PROCESSES:
                wid = published_with_deliveries(database, N_DELIVER)
                took, handled = _run(n, ["deliver", url, gateway, str(wid)])
                sent = _sent(database, wid)
                assert handled == sent == N_DELIVER, (handled, sent)
                ref_s, ref_n = _run(n, ["bare", url, gateway, str(N_DELIVER // n)])
                rate = N_DELIVER / took
                base = base or rate
                target = {1: "—", 2: "target ≥ 1.8×", 4: "target ≥ 3×"}[n]
                rows.append((f"{n} worker process{'es' if n > 1 else ''}", f"{rate:,.0f} /s",
                             f"{rate / base:.2f}× one; {target}",
                             f"{n} bare client{'s' if n > 1 else ''}: {ref_n / ref_s:,.0f} /s",
                             f"{rate / (ref_n / ref_s):.2f}× the reference"))
    finally:
        gw.stdin.close()
        gw.wait(10)
    load = os.getloadavg()
    print(f"\nDelivery by worker processes on PostgreSQL: {N_DELIVER:,} recipients per run, {BATCH} per request, "
          f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the end\n")
    print("| worker processes | Yingji | scaling | reference, same run | ratio |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(*sys.argv[2:6])
    else:
        main()
