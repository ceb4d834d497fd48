"""The newcomer's duty night, end to end, on a ``make run``-style server: ``yingji serve`` as a process with
its workers on and the demo's sandbox channels, on a fresh copy of the demo. The duty officer logs in,
runs the rainstorm simulator against the server, turns an alarm into a warning draft, a leader signs and
publishes it, the sandbox receives it, the public page shows it, and the nearest team is found.

It fails on any page or request slower than 2 s, any 5xx answer, and any 5xx or traceback in the
server's log."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.browser.conftest import PASSWORDS

YINGJI = str(Path(sys.executable).with_name("yingji"))
SLOW_S = 2.0
pytestmark = pytest.mark.timing  # pages under 2 s: measured alone, not beside the parallel pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(demo_templates, tmp_path):
    """``yingji serve`` (web, API, outbox workers and scheduler in one process) on a copy of the demo."""
    port = _free_port()
    log_path = tmp_path / "server.log"
    env = {**os.environ, "YINGJI_DATABASE_URL": demo_templates.copy("newcomer"), "YINGJI_DATA_DIR": str(tmp_path),
           "YINGJI_SECRET_KEY": "newcomer-test", "YINGJI_CHANNEL_SANDBOX": "auto",
           "YINGJI_SERVER_URL": f"http://127.0.0.1:{port}"}
    env.pop("YINGJI_TEST_DATABASE_URL", None)
    with log_path.open("w") as log:
        proc = subprocess.Popen([YINGJI, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                                stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"yingji serve did not start:\n{log_path.read_text()}")
        time.sleep(0.3)
    yield base, env, log_path
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


class Watch:
    """Every request the pages make to the platform: its status and how long it took."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.slow: list[str] = []
        self.errors: list[str] = []

    def attach(self, page) -> None:
        page.on("requestfinished", self._finished)
        page.on("response", self._response)

    def _ours(self, request) -> bool:
        return request.url.startswith(self.base) and request.resource_type not in ("eventsource",) \
            and "/stream" not in request.url

    def _finished(self, request) -> None:
        if self._ours(request):
            took = request.timing.get("responseEnd", 0) / 1000
            if took > SLOW_S:
                self.slow.append(f"{request.method} {request.url} {took:.2f} s")

    def _response(self, response) -> None:
        if self._ours(response.request) and response.status >= 500:
            self.errors.append(f"{response.status} {response.request.method} {response.url}")


def _login(page, username: str) -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORDS[username])
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_a_newcomer_duty_night(browser, served) -> None:
    base, env, log_path = served
    watch = Watch(base)
    duty_ctx = browser.new_context(base_url=base, locale="zh-CN", viewport={"width": 1280, "height": 800})
    duty = duty_ctx.new_page()
    duty.set_default_timeout(30_000)
    watch.attach(duty)

    _login(duty, "duty")
    duty.goto("/")
    duty.goto("/map")
    duty.wait_for_selector("#map[data-ready=true]")

    sim = subprocess.run([YINGJI, "simulate", "rainstorm", "--hours", "3", "--speed", "0"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert sim.returncode == 0, sim.stdout + sim.stderr
    assert "Traceback" not in sim.stdout + sim.stderr

    duty.goto("/monitoring")
    first_alarm = duty.locator("#alarms a[href^='/monitoring/alarms/']").first
    first_alarm.click()
    duty.click("text=生成预警草稿")
    duty.wait_for_selector("textarea[name=instruction]")
    headline = duty.input_value("input[name=headline]")
    description = duty.input_value("textarea[name=description]")
    assert "预警" in headline and "告警" not in headline + description
    assert not re.search(r"[A-Z]{2}-\d{6,}", headline + description), "internal sensor codes in public text"
    assert duty.input_value("textarea[name=instruction]").strip(), "防御指南 not prefilled"
    duty.click("button:has-text('保存草稿')")
    duty.click("[data-action=submit]")
    duty.wait_for_selector("text=待他人审核签发")
    warning_url = duty.url

    leader_ctx = browser.new_context(base_url=base, locale="zh-CN", viewport={"width": 390, "height": 844})
    leader = leader_ctx.new_page()
    leader.set_default_timeout(30_000)
    watch.attach(leader)
    _login(leader, "leader")
    leader.goto(warning_url)
    leader.click("[data-action=approve]")
    leader.wait_for_selector("[data-action=publish]")
    assert leader.locator("[data-field=confirm_unreached]").count() == 0, "the demo's sandbox channels reach everyone"
    leader.click("[data-action=publish]")
    leader.wait_for_selector("#coverage")
    assert leader.locator("[data-field=status]").inner_text().startswith("已发布")

    # The in-process workers hand the warning to the sandbox gateway, which shows what each phone got.
    deadline = time.monotonic() + 60
    while True:
        duty.goto("/channels/sandbox")
        if headline in duty.content() or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert headline in duty.content(), "the sandbox received nothing within 60 s"

    leader.goto("/public/warnings")
    leader.wait_for_selector(f"text={headline}")

    duty.goto("/resources/nearest?lon=109.33&lat=24.26&kind=team")
    assert duty.locator("table tbody tr").count() > 0

    duty_ctx.close()
    leader_ctx.close()
    log = log_path.read_text()
    assert watch.errors == []
    assert watch.slow == [], "pages slower than 2 s"
    assert "Traceback" not in log and not re.search(r'" 5\d\d ', log), log[-3000:]
