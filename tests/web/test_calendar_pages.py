"""The working-day calendar from the outside: who may read and change it, and the missing-year warning."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from yingji.core.workdays import CalendarDay

ROLES_WITHOUT_MANAGE = ["duty", "leader", "liaison", "labao", "officer", "chem"]


@pytest.fixture
def december_2026(fixed_clock) -> None:
    fixed_clock(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))


def test_the_page_warns_about_next_year_until_it_is_confirmed(page_client, december_2026) -> None:
    admin = page_client("admin")
    page = admin.get("/settings/calendar")
    assert page.status_code == 200
    assert 'data-missing-year="2027"' in page.text
    assert 'data-known-year="2026"' in page.text
    notice = "国务院办公厅关于2027年部分节假日安排的通知"
    form = {"year": "2027", "source": notice, "csrf_token": admin.csrf}
    r = admin.post("/settings/calendar/year", data=form, follow_redirects=False)
    assert r.status_code == 303
    assert 'data-missing-year="2027"' not in admin.get("/settings/calendar").text


def test_the_month_grid_shows_holidays_and_make_up_days(page_client) -> None:
    page = page_client("duty").get("/settings/calendar?year=2025&month=10")
    assert 'data-day="2025-10-01" data-working="no"' in page.text
    assert 'data-day="2025-10-11" data-working="yes"' in page.text
    assert "国庆节调休上班" in page.text


def test_admin_enters_a_day_through_the_form(page_client, db) -> None:
    admin = page_client("admin")
    r = admin.post(
        "/settings/calendar/day",
        data={"day": "2027-01-01", "working": "no", "name": "元旦", "csrf_token": admin.csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert db.get(CalendarDay, datetime(2027, 1, 1).date()).name == "元旦"


@pytest.mark.parametrize("username", ROLES_WITHOUT_MANAGE)
def test_other_roles_read_but_cannot_change(username, api, page_client, db) -> None:
    client = api(username)
    assert client.get("/api/v1/calendar/days", params={"year": 2025, "month": 10}).status_code == 200
    assert client.put("/api/v1/calendar/days/2025-10-09", json={"working": False}).status_code == 403
    assert client.put("/api/v1/calendar/years/2027", json={"source": "x"}).status_code == 403
    assert client.delete("/api/v1/calendar/days/2025-10-09").status_code == 403
    pc = page_client(username)
    r = pc.post("/settings/calendar/day", data={"day": "2025-10-09", "working": "no", "csrf_token": pc.csrf})
    assert r.status_code == 403
    assert db.get(CalendarDay, datetime(2025, 10, 9).date()) is None


def test_api_sets_and_clears_a_day(api) -> None:
    admin = api("admin")
    r = admin.put("/api/v1/calendar/days/2025-10-09", json={"working": False, "name": "本地更正"})
    assert r.status_code == 200
    assert r.json() == {"day": "2025-10-09", "working": False, "name": "本地更正", "source": "bureau"}
    assert admin.delete("/api/v1/calendar/days/2025-10-09").status_code == 204
    month = admin.get("/api/v1/calendar/days", params={"year": 2025, "month": 10}).json()
    assert month["total"] == 31
    assert month["items"][8] == {"day": "2025-10-09", "working": True, "name": "", "source": "library"}


def test_bad_input_names_the_field(api) -> None:
    admin = api("admin")
    r = admin.put("/api/v1/calendar/days/2025-10-09", json={"working": False, "name": "长" * 41})
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["field"].endswith("name")
    r = admin.get("/api/v1/calendar/days", params={"year": 2025, "month": 13})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "month"
    r = admin.put("/api/v1/calendar/days/3000-01-01", json={"working": False})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "day"


def test_deadline_api(api) -> None:
    r = api("duty").post(
        "/api/v1/calendar/deadline", json={"start": "2025-09-26T10:00:00+08:00", "amount": 5, "unit": "working_days"}
    )
    assert r.status_code == 200
    body = r.json()
    assert body["last_day"] == "2025-10-10"
    assert body["due_at"].startswith("2025-10-10T16:00:00")
    assert body["provisional"] is False
    r = api("duty").post(
        "/api/v1/calendar/deadline", json={"start": "2026-12-25T10:00:00+08:00", "amount": 5, "unit": "working_days"}
    )
    assert r.json()["provisional"] is True and r.json()["assumed_years"] == [2027]
    r = api("duty").post(
        "/api/v1/calendar/deadline", json={"start": "2025-09-26T10:00:00", "amount": 5, "unit": "working_days"}
    )
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "start"
    r = api("duty").post(
        "/api/v1/calendar/deadline", json={"start": "2025-09-26T10:00:00+08:00", "amount": 5, "unit": "weeks"}
    )
    assert r.status_code == 422


def test_anonymous_is_refused(client) -> None:
    assert client.get("/api/v1/calendar/years").status_code == 401
    assert client.get("/settings/calendar", follow_redirects=False).status_code == 303
