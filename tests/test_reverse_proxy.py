"""The shipped nginx configuration (deploy/nginx/yingji.conf, unchanged but for its addresses) in front
of two ``yingji serve`` processes on a copy of the demo: a page through the proxy, requests spread over
both processes, and a server-sent event arriving through it while the stream stays open.

nginx runs as the current user with its own prefix, configuration, logs and pid in a temporary folder.
Without nginx the test is skipped, unless ``YINGJI_BROWSER_REQUIRED`` is set (CI), where it fails."""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.test_processes import YINGJI, _free_port, _stop, _wait

pytestmark = pytest.mark.slow
CONF = Path(__file__).resolve().parents[1] / "deploy" / "nginx" / "yingji.conf"


def _nginx() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if found:
        return found
    if os.environ.get("YINGJI_BROWSER_REQUIRED"):
        pytest.fail("nginx is not installed (CI installs it: .ci/run)")
    pytest.skip("nginx is not installed")


def _site(listen: int, upstreams: list[int]) -> str:
    """The shipped file with the test's addresses: its listen port and upstream servers, nothing else."""
    text = CONF.read_text()
    servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+;$", text, flags=re.M)
    assert len(servers) == 2 and re.search(r"^\s*listen 80;$", text, flags=re.M)
    text = text.replace(servers[0], f"    server 127.0.0.1:{upstreams[0]};", 1)
    text = text.replace(servers[1], f"    server 127.0.0.1:{upstreams[1]};", 1)
    return re.sub(r"^(\s*)listen 80;$", rf"\1listen 127.0.0.1:{listen};", text, count=1, flags=re.M)


def _main_conf(prefix: Path, listen: int, upstreams: list[int]) -> Path:
    (prefix / "site.conf").write_text(_site(listen, upstreams))
    user = "user root;\n" if os.geteuid() == 0 else ""  # as root nginx would switch its workers to nobody
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log info;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        f"  access_log {prefix}/access.log;\n"
        f"  client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy;\n"
        f"  fastcgi_temp_path {prefix}/fcgi; uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;\n"
        "  gzip on; gzip_types text/event-stream application/json;\n"  # as Debian's default may have it
        f"  include {prefix}/site.conf;\n"
        "}\n"
    )
    return conf


def test_nginx_in_front_of_two_serve_processes(demo_env, tmp_path) -> None:
    nginx = _nginx()
    ports = [_free_port(), _free_port()]
    listen = _free_port()
    env = os.environ.copy()
    procs = [
        subprocess.Popen([YINGJI, "serve", "--host", "127.0.0.1", "--port", str(ports[0])], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True),
        # The second app process runs no background workers: they run once (here in the first).
        subprocess.Popen([YINGJI, "serve", "--host", "127.0.0.1", "--port", str(ports[1]), "--no-workers"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True),
    ]
    conf = _main_conf(tmp_path, listen, ports)
    proxy = None
    stream = None
    base = f"http://127.0.0.1:{listen}"
    try:
        for port, proc in zip(ports, procs, strict=True):
            _wait(lambda port=port: _healthy(f"http://127.0.0.1:{port}"), 90, f"serve on {port} answered", proc)
        proxy = subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log"),
                                  "-g", "daemon off;"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        _wait(lambda: _healthy(base), 30, "nginx answered", proxy)

        page = httpx.get(f"{base}/login", timeout=10)
        assert page.status_code == 200 and "登录" in page.text
        answered = {httpx.get(f"{base}/healthz", timeout=10).json()["process"] for _ in range(8)}
        assert answered == {p.pid for p in procs}  # round-robin: both processes, and only they

        token = httpx.post(f"{base}/api/v1/auth/token", json={"username": "duty", "password": "yingji-duty-2026"},
                           timeout=10).json()["access_token"]
        # A reader in a process of its own prints what arrives; the stream stays open (max_s=600), so an
        # event that is read proves nginx passed it on as written instead of holding it in a buffer.
        stream = subprocess.Popen(
            [sys.executable, "-c", (
                "import httpx,sys\n"
                f"with httpx.stream('GET', '{base}/api/v1/monitoring/stream?poll_s=1&max_s=600',"
                f" headers={{'Authorization': 'Bearer {token}'}}, timeout=None) as r:\n"
                "    print(r.status_code, r.headers.get('content-type'), flush=True)\n"
                "    [sys.stdout.write(t) or sys.stdout.flush() for t in r.iter_text()]\n"
            )],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        lines = _read_lines(stream, until="data: ", timeout=20)
        assert lines[0].startswith("200 text/event-stream"), lines
        assert any(line.startswith("event: change") for line in lines), lines
        assert any(line.startswith("data: {") and '"token"' in line for line in lines), lines
    finally:
        if stream:
            stream.kill()
            stream.wait()
        if proxy and proxy.poll() is None:
            proxy.terminate()
            proxy.wait(10)
        for proc in procs:
            _stop(proc)


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _read_lines(proc: subprocess.Popen, *, until: str, timeout: float) -> list[str]:
    """Lines of ``proc``'s output until one starts with ``until``; fails after ``timeout`` seconds. A thread
    reads (a select on the pipe would miss lines already in the reader's buffer)."""
    found: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [found.put(line) for line in proc.stdout], daemon=True).start()
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = found.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            break
        lines.append(line)
        if line.startswith(until):
            return lines
    pytest.fail(f"no {until!r} through the proxy within {timeout:.0f} s: {lines}")
