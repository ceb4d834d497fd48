"""A client of the platform on a throw-away copy of a seeded demo SQLite file (``BENCH_DEMO_DB``), signed in
as a demo account, and the timing and table printing the API benchmarks share."""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from yingji.core.demo import DEMO_USERS

PASSWORDS = {u["username"]: u["password"] for u in DEMO_USERS}


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def demo_client(username: str = "duty") -> tuple[Any, Path]:
    """A TestClient on a copy of the demo (the copy's folder is returned, for ``shutil.rmtree`` at the end)."""
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
    token = c.post("/api/v1/auth/token", json={"username": username, "password": PASSWORDS[username]})
    c.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    return c, work


def print_table(times: dict[str, list[float]], width: int = 20) -> None:
    """Median and p95 in ms of each call's samples."""
    print(f"{'call':<{width}}{'median ms':>10}{'p95 ms':>10}")
    for name, xs in times.items():
        xs = sorted(xs)
        p95 = xs[min(len(xs) - 1, int(len(xs) * 0.95))]
        print(f"{name:<{width}}{statistics.median(xs) * 1000:>10.0f}{p95 * 1000:>10.0f}")
