"""A kept dashboard keeps its viewer's session in the process's memory (``web.session_cache``): a logout, an
account switched off, a new name or role, and the session's expiry all take effect on the very next
request, in another server process as well as in the one that made the change. Two apps over one database
stand for two ``yingji serve`` processes: each keeps its own sessions and pages."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests import aio
from tests.conftest import PageClient
from yingji.accounts.models import User
from yingji.core import layercache
from yingji.web import pages
from yingji.web.deps import SESSION_COOKIE


@pytest.fixture
def other_process(fresh_app):
    """``other_process(client)`` → a client of a second app that sends ``client``'s session cookie."""

    def same_browser(client: PageClient) -> TestClient:
        c = TestClient(fresh_app, raise_server_exceptions=False)
        c.cookies.set(SESSION_COOKIE, client.cookies[SESSION_COOKIE])
        return c

    return same_browser


def kept_on_both(client: PageClient, other: TestClient) -> None:
    for c in (client, other, client, other):
        assert c.get("/").status_code == 200


def sent_to_login(response) -> bool:
    return response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_kept_page_is_answered_without_building_it(page_client, monkeypatch):
    duty = page_client("duty")
    first = duty.get("/")

    def must_not_run(*_a, **_k):
        raise AssertionError("the kept dashboard went to the thread pool")

    monkeypatch.setattr(pages, "_dashboard", must_not_run)
    again = duty.get("/")
    assert again.status_code == 200 and again.content == first.content


def test_logout_ends_the_session_in_the_other_process_at_once(page_client, other_process):
    duty = page_client("duty")
    other = other_process(duty)
    kept_on_both(duty, other)
    r = duty.post("/logout", headers={"X-CSRF-Token": duty.csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert sent_to_login(other.get("/", follow_redirects=False))
    duty.cookies.set(SESSION_COOKIE, other.cookies[SESSION_COOKIE])  # a browser that kept the cookie
    assert sent_to_login(duty.get("/", follow_redirects=False))


def _duty_kept_on_both(page_client, database, other_process):
    """The duty officer's client, the other process's client with the same cookie (the page kept by both),
    and the duty officer's user id."""
    duty = page_client("duty")
    other = other_process(duty)
    kept_on_both(duty, other)
    with database.transaction(read=True) as s:
        return duty, other, s.scalar(select(User.id).where(User.username == "duty"))


def test_an_account_switched_off_is_logged_out_in_the_other_process(page_client, api, database, other_process):
    duty, other, duty_id = _duty_kept_on_both(page_client, database, other_process)
    r = api("admin").patch(f"/api/v1/accounts/users/{duty_id}", json={"is_active": False})
    assert r.status_code == 200, r.text
    assert sent_to_login(other.get("/", follow_redirects=False))
    assert sent_to_login(duty.get("/", follow_redirects=False))


def test_a_new_name_and_role_show_on_the_next_page_of_the_other_process(page_client, api, database, other_process):
    _duty, other, duty_id = _duty_kept_on_both(page_client, database, other_process)
    r = api("admin").patch(f"/api/v1/accounts/users/{duty_id}", json={"display_name": "改名后的值班员"})
    assert r.status_code == 200, r.text
    assert "改名后的值班员" in other.get("/").text

    with database.transaction() as s:  # as a role change by any tool: a write of the user's row
        s.get(User, duty_id).role = "info_officer"
    r = other.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/officer"  # an officer's home is their village


def test_an_expired_session_is_refused_on_the_next_request(page_client, fixed_clock):
    start = datetime(2026, 7, 1, 1, 0, tzinfo=UTC)
    fixed_clock(start)
    duty = page_client("duty")  # its session expires 8 hours after ``start``
    assert duty.get("/").status_code == 200
    fixed_clock(start + timedelta(hours=8) - timedelta(seconds=1))
    assert duty.get("/").status_code == 200
    fixed_clock(start + timedelta(hours=8))
    assert sent_to_login(duty.get("/", follow_redirects=False))


def test_a_kept_session_is_read_again_after_a_few_seconds(page_client, fixed_clock, monkeypatch):
    # What no generation announces (a row changed by raw SQL) is bounded by ``KEEP_S``.
    from yingji.web import session_cache

    start = datetime(2026, 7, 1, 1, 0, tzinfo=UTC)
    fixed_clock(start)
    duty = page_client("duty")
    duty.get("/")
    built = []
    real = pages._dashboard
    monkeypatch.setattr(pages, "_dashboard", lambda *a: built.append(1) or real(*a))
    duty.get("/")
    assert built == []
    fixed_clock(start + timedelta(seconds=session_cache.KEEP_S))
    assert duty.get("/").status_code == 200
    assert built == [1]


def test_another_cookie_is_not_taken_for_a_kept_one(page_client, app):
    duty = page_client("duty")
    duty.get("/")
    stranger = TestClient(app, raise_server_exceptions=False)
    stranger.cookies.set(SESSION_COOKIE, duty.cookies[SESSION_COOKIE] + "x")
    assert sent_to_login(stranger.get("/", follow_redirects=False))


def test_the_requests_of_one_browser_wait_for_one_build(page_client, app, database, monkeypatch):
    # Ten requests of one browser come while its kept session is outdated (another login moved the
    # users' generation): one of them reads the session and builds, the others take what it kept.
    duty = page_client("duty")
    first = duty.get("/")
    with database.transaction() as s:
        layercache.bump(s, layercache.rows_layer("users"))
    built = []
    real = pages._dashboard

    def slow(*a):
        built.append(1)
        time.sleep(0.05)
        return real(*a)

    monkeypatch.setattr(pages, "_dashboard", slow)

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        cookies = {SESSION_COOKIE: duty.cookies[SESSION_COOKIE]}
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", cookies=cookies) as c:
            return await asyncio.gather(*(c.get("/") for _ in range(10)))

    answers = aio.run(burst())
    assert [r.status_code for r in answers] == [200] * 10
    assert all(r.content == first.content for r in answers)
    assert built == [1]
