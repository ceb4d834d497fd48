"""Security headers, the request-body limit and stored data that looks like script, from the outside."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import PASSWORDS

PAYLOAD = '</script><script>alert(document.cookie)</script><img src=x onerror=alert(1)>'


def test_security_headers_on_pages_and_api(client) -> None:
    for r in (client.get("/login"), client.get("/api/v1/incidents/kinds"), client.get("/public/warnings")):
        csp = r.headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["script-src"] == "'self'"  # no inline script, no eval
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"]
        assert "strict-transport-security" not in r.headers  # plain HTTP: no HSTS


def test_hsts_and_secure_cookies_over_https(app) -> None:
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as c:
        form = c.get("/login")
        assert form.headers["strict-transport-security"].startswith("max-age=")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        r = c.post("/login", data={"username": "duty", "password": PASSWORDS["duty"], "csrf_token": token},
                   follow_redirects=False)
        assert r.status_code == 303
        cookies = r.headers.get_list("set-cookie")
        assert cookies and all("secure" in v.lower() for v in cookies)
        assert all("httponly" in v.lower() for v in cookies if v.startswith("yingji_session"))


def test_no_page_has_inline_script(page_client) -> None:
    duty = page_client("duty")
    for path in ("/", "/map", "/risk", "/risk/hazards", "/monitoring", "/warnings", "/warnings/new", "/resources",
                 "/resources/nearest", "/settings/calendar"):
        text = duty.get(path).text
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag or 'type="application/json"' in tag, f"{path}: inline {tag}"
        assert not re.search(r"\son[a-z]+=", text), f"{path}: inline event handler"


def test_an_oversized_body_is_refused_before_it_is_read(api) -> None:
    duty = api("duty")
    big = b'{"kind": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    r = duty.post("/api/v1/incidents/grade", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"]["code"]

    def chunks():  # no Content-Length: the limit is counted while the body streams in
        yield b'{"kind": "'
        for _ in range(64):
            yield b"x" * 65536
        yield b'"}'

    r = duty.post("/api/v1/incidents/grade", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_readings_batches_may_be_larger_than_an_ordinary_body(api) -> None:
    readings = [{"sensor": "NO-SUCH-SENSOR", "ts": "2026-06-01T00:00:00Z", "value": 1.0}] * 30000
    r = api("duty").post("/api/v1/monitoring/readings", json={"readings": readings})
    assert r.status_code != 413  # ~1.8 MB: over the 1 MiB default, within the readings limit


@pytest.fixture
def stored_payloads(api, db):
    from tests.risk.helpers import chem_enterprise_id

    duty = api("duty")
    sensor = duty.post("/api/v1/monitoring/sensors", json={
        "code": "XSS-1", "name": PAYLOAD, "kind": "rain_gauge", "lon": 109.33, "lat": 24.27,
        "region_code": "450206100001"})
    assert sensor.status_code == 201, sensor.text
    hazard = duty.post("/api/v1/risk/hazards", json={
        "enterprise_id": chem_enterprise_id(db), "title": PAYLOAD[:100], "grade": "general"})
    assert hazard.status_code == 201, hazard.text
    return sensor.json()["id"], hazard.json()["id"]


def test_stored_script_is_escaped_on_every_page_that_shows_it(page_client, stored_payloads) -> None:
    sensor_id, hazard_id = stored_payloads
    duty = page_client("duty")
    pages = ["/monitoring/sensors?q=XSS-1", f"/monitoring/sensors/{sensor_id}", "/risk/hazards",
             f"/risk/hazards/{hazard_id}"]
    for path in pages:
        text = duty.get(path).text
        assert "<script>alert(document.cookie)</script>" not in text, path
        assert "<img src=x onerror" not in text, path
        assert "alert(document.cookie)" in html.unescape(text) or "\\u003c/script" in text, f"{path}: not shown"

