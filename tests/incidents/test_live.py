"""The live workspace (issue point 5): a new timeline entry written by one officer reaches another officer's
open workspace through the incident's server-sent events, on a real loopback server (a stream needs one:
the in-process client would hold the test's connection). Who may not see the workspace gets no stream."""

from __future__ import annotations

import json
import queue
import threading
import time

import httpx
import pytest

from tests.browser.conftest import serve
from tests.conftest import PASSWORDS
from tests.incidents.test_dispatch import BODY


@pytest.fixture(scope="module")
def server(demo_templates, tmp_path_factory):
    yield from serve(demo_templates.copy("live"), tmp_path_factory.mktemp("live"))


def client(base: str, username: str) -> httpx.Client:
    c = httpx.Client(base_url=base, timeout=10)
    token = c.post("/api/v1/auth/token", json={"username": username, "password": PASSWORDS[username]})
    c.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    return c


def listen(c: httpx.Client, path: str, events: queue.Queue, stop: threading.Event) -> None:
    with c.stream("GET", path, params={"poll_s": 0.2, "max_s": 5}) as r:
        events.put(("status", r.status_code))
        name = None
        for line in r.iter_lines():
            if stop.is_set():
                return
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: ") and name == "change":
                events.put(("change", json.loads(line[6:]), time.monotonic()))


def test_a_new_entry_reaches_a_second_open_workspace(server) -> None:
    duty, labao = client(server, "duty"), client(server, "labao")
    incident = duty.post("/api/v1/incidents", json=BODY).json()
    events: queue.Queue = queue.Queue()
    stop = threading.Event()
    watcher = threading.Thread(
        target=listen, args=(labao, f"/api/v1/incidents/{incident['id']}/stream", events, stop), daemon=True
    )
    watcher.start()
    assert events.get(timeout=10) == ("status", 200)
    first = events.get(timeout=10)[1]  # the token when the workspace opened
    written = time.monotonic()
    r = duty.post(f"/api/v1/incidents/{incident['id']}/messages", json={"text": "堤坝出现管涌"})
    assert r.status_code == 201, r.text
    _, change, at = events.get(timeout=5)
    stop.set()
    assert change["last_id"] == r.json()["id"] > first["last_id"]
    assert at - written < 1.0
    new = labao.get(f"/api/v1/incidents/{incident['id']}/timeline",
                    params={"after_id": first["last_id"]}).json()["items"]
    assert [e["text"] for e in new] == ["堤坝出现管涌"]


def test_no_stream_for_who_may_not_see_the_workspace(server) -> None:
    incident = client(server, "duty").post("/api/v1/incidents", json=BODY).json()
    for username in ("officer", "chem"):
        r = client(server, username).get(f"/api/v1/incidents/{incident['id']}/stream", params={"max_s": 1})
        assert r.status_code == 403
    assert httpx.get(f"{server}/api/v1/incidents/{incident['id']}/stream").status_code == 401
