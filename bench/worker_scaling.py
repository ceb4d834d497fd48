"""Benchmark of delivery over several worker processes on PostgreSQL: 1, 2 and 4 processes share one
warning's pending SMS rows (claims with ``FOR UPDATE SKIP LOCKED``) and hand them to a loopback batch
gateway, ``BENCH_BATCH`` numbers per request.

    YINGJI_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/worker_scaling.py
    BENCH_DELIVER=200000 BENCH_BATCH=1000 …
    BENCH_GATEWAY_MS=50 …        # the gateway answers each request 50 ms late, as a cloud's API far away

Each worker process is a real ``yingji worker --delivery-loops 1`` (its outbox and scheduler threads
too), configured through the environment like production (``YINGJI_CHANNEL_SMS_URL``, ``_SMS_BATCH``). The
processes start and report running before the rows exist; the clock runs from the commit of the warning's
rows to the last one recorded as sent (the workers poll once a second when idle, so up to 1 s of each run
is waiting). The gateway runs in a process of its own (``tests/channels/servers.BatchGateway``) and
competes with the workers for the machine's cores, as a remote cloud would not. Reference, same run: as
many bare client processes posting the same batches to the same gateway (no database): the gateway's and
the machine's ceiling. Works in a fresh schema that is dropped at the end.
"""

from __future__ import annotations

import os
import signal
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
YINGJI = str(Path(sys.executable).with_name("yingji"))
N_DELIVER = int(os.environ.get("BENCH_DELIVER", 100_000))
BATCH = int(os.environ.get("BENCH_BATCH", 1000))
PROCESSES = (1, 2, 4)
# The gateway's own time per request, in ms (``BENCH_GATEWAY_MS``): 0 is a gateway on this machine
# answering at once; a cloud's batch API is some tens of milliseconds away, and the time a worker waits
# for it is the time other workers can use (the answers of concurrent requests are waited for together).
GATEWAY_MS = float(os.environ.get("BENCH_GATEWAY_MS", 0))
GATEWAY = (
    "import sys, time\n"
    f"sys.path.insert(0, {str(ROOT)!r})\n"
    "from tests.channels.servers import BatchGateway\n"
    f"wait = {GATEWAY_MS / 1000!r}\n"
    "g = BatchGateway(keep=False, hold=(lambda n, items: time.sleep(wait)) if wait else None).start()\n"
    "print(g.url, flush=True)\n"
    "sys.stdin.read()\n"
)


def _bare(gateway: str, total: int) -> None:
    """A bare client (the reference): ``total`` messages in batches to the gateway."""
    client = httpx.Client(timeout=30)
    client.get(gateway)  # connected before the clock starts (the gateway answers GET with 501)
    print("ready", flush=True)
    sys.stdin.readline()
    for start in range(0, total, BATCH):
        items = [{"to": f"139{i:08d}", "id": f"ref:{os.getpid()}:{i}"} for i in range(start, min(total, start + BATCH))]
        client.post(gateway, json={"text": "基准测试", "messages": items}).raise_for_status()
    print(total, flush=True)


def _reference(n: int, gateway: str, total: int) -> float:
    """``n`` bare client processes sharing ``total`` messages: messages per second."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    procs = [subprocess.Popen([sys.executable, __file__, "--bare", gateway, str(total // n)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=env) for _ in range(n)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    t0 = time.perf_counter()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    sent = sum(int(p.stdout.readline()) for p in procs)
    took = time.perf_counter() - t0
    for p in procs:
        p.wait(30)
    return sent / took


def _workers(n: int, url: str, gateway: str, data_dir: str) -> list[subprocess.Popen]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONUNBUFFERED": "1", "YINGJI_DATABASE_URL": url,
           "YINGJI_DATA_DIR": data_dir, "YINGJI_SECRET_KEY": "bench", "YINGJI_CHANNEL_SMS_URL": gateway,
           "YINGJI_CHANNEL_SMS_FORMAT": "json", "YINGJI_CHANNEL_SMS_BATCH": str(BATCH),
           "YINGJI_CHANNEL_SANDBOX": "off", "YINGJI_MQTT_URL": ""}
    # Their output goes to files (a pipe nobody reads would fill up and stop them).
    logs = [Path(data_dir) / f"worker-{n}-{k}.log" for k in range(n)]
    procs = [subprocess.Popen([YINGJI, "worker", "--outbox-workers", "1", "--delivery-loops", "1"], env=env,
                              stdout=log.open("w"), stderr=subprocess.STDOUT) for log in logs]
    deadline = time.monotonic() + 120
    while not all("worker running" in log.read_text() for log in logs):
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            raise RuntimeError("a worker did not start: " + " | ".join(log.read_text()[-500:] for log in logs))
        time.sleep(0.2)
    return procs


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        p.wait(30)


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
                procs = _workers(n, url, gateway, tmp)
                try:
                    wid = published_with_deliveries(database, N_DELIVER)  # committed: the clock starts
                    t0 = time.perf_counter()
                    while (sent := _sent(database, wid)) < N_DELIVER and time.perf_counter() - t0 < 600:
                        time.sleep(0.1)
                    took = time.perf_counter() - t0
                finally:
                    _stop(procs)
                assert sent == N_DELIVER, sent
                ref = _reference(n, gateway, N_DELIVER)
                rate = N_DELIVER / took
                base = base or rate
                target = {1: "—", 2: "target ≥ 1.8×", 4: "target ≥ 3×"}[n]
                rows.append((f"{n} × `yingji worker`", f"{rate:,.0f} /s ({took:.1f} s)",
                             f"{rate / base:.2f}× one; {target}",
                             f"{n} bare client{'s' if n > 1 else ''}: {ref:,.0f} /s",
                             f"{rate / ref:.2f}× the reference"))
    finally:
        gw.stdin.close()
        gw.wait(10)
    load = os.getloadavg()
    print(f"\nDelivery by worker processes on PostgreSQL: {N_DELIVER:,} recipients per run, {BATCH} per request, "
          f"the gateway's own time {GATEWAY_MS:g} ms a request, {os.cpu_count()} cores, "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the end\n")
    print("| worker processes | Yingji | scaling | reference, same run | ratio |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--bare":
        _bare(sys.argv[2], int(sys.argv[3]))
    else:
        main()
