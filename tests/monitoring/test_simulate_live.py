"""``yingji simulate rainstorm`` against a real live server (uvicorn on a free loopback port, a copy of
the demo district): it finds the server from the settings, prints Beijing time, keeps the requested speed,
and says in one line (no traceback) when the server cannot be reached."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import PG_URL
from tests.rainstorm import _free_port, demo_database_url

ROOT = Path(__file__).resolve().parents[2]


def _cli(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "yingji.cli", *args],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


@pytest.mark.timing  # the speed kept is wall-clock: measured alone
@pytest.mark.skipif(bool(PG_URL), reason="the CLI is what is tested; one database is enough")
def test_simulate_finds_the_server_keeps_speed_and_prints_beijing_time(engine, database_url, tmp_path):
    import uvicorn

    from yingji.app import create_app
    from yingji.core.config import Settings
    from yingji.core.db import Database

    url = demo_database_url(tmp_path, seeded_sqlite_url=database_url)
    database = Database.from_url(url)
    app = create_app(settings=Settings(data_dir=tmp_path, secret_key="simulate-test"), database=database)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    env = {"YINGJI_DATABASE_URL": url, "YINGJI_PORT": str(port), "YINGJI_DATA_DIR": str(tmp_path)}
    try:
        # 1 hour of storm in 5-minute steps at 600x: 12 steps, 0.5 s each, 6 s in all.
        t0 = time.monotonic()
        done = _cli(["simulate", "rainstorm", "--hours", "1", "--speed", "600"], env)
        elapsed = time.monotonic() - t0
    finally:
        server.should_exit = True
        thread.join(10)
        database.bind.dispose()
    assert done.returncode == 0, done.stderr
    assert f"到 http://127.0.0.1:{port}" in done.stdout  # from YINGJI_PORT, not a fixed 8000
    assert "北京时间" in done.stdout and "UTC" not in done.stdout
    achieved = int(re.search(r"实际倍速 (\d+)", done.stdout).group(1))
    assert 540 <= achieved <= 620, done.stdout  # within 10 % of the 600 asked
    assert elapsed >= 6.0 - 0.5


def test_simulate_says_in_one_line_when_the_server_is_down(engine, database_url, tmp_path):
    port = _free_port()  # nothing listens there
    env = {"YINGJI_DATABASE_URL": database_url, "YINGJI_DATA_DIR": str(tmp_path)}
    done = _cli(["simulate", "rainstorm", "--hours", "1", "--url", f"http://127.0.0.1:{port}"], env)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and f"无法连接平台 http://127.0.0.1:{port}" in lines[0] and "--url" in lines[0]
