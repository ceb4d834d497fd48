"""Alarms by severity and by event: red first then newest; one storm over several gauges of a township and
one site with several detectors are one event with a count; filters by township and level; acknowledging
an event acknowledges its open alarms with one note. API and pages, from outside."""

from __future__ import annotations

from datetime import timedelta

from yingji.monitoring.models import AlarmEvent

from .helpers import JINDE, LABAO, T0, H, M, alarms_of, feed, make_sensor

EVENTS = "/api/v1/monitoring/events"
ALARMS = "/api/v1/monitoring/alarms"
LABAO_VILLAGES = ["450206100001", "450206100002", "450206100003"]
JINDE_VILLAGE = "450206101201"


def _storm(db, villages, mm=60.0, at=timedelta(minutes=30)):
    out = []
    for code in villages:
        gauge = make_sensor(db, "rain_gauge", region=code)
        feed(db, gauge, (at, mm))
        [a] = alarms_of(db, gauge, "rainstorm")
        out.append(a)
    return out


def test_one_storm_over_a_township_is_one_event_and_the_next_day_another(db, fixed_clock) -> None:
    fixed_clock(T0 + 2 * H)
    storm = _storm(db, LABAO_VILLAGES)
    assert len({a.event_id for a in storm}) == 1 and storm[0].event_id == storm[0].id
    other_township = _storm(db, [JINDE_VILLAGE])
    assert other_township[0].event_id not in {a.event_id for a in storm}
    fixed_clock(T0 + 31 * H)
    next_day = _storm(db, ["450206100004"], at=timedelta(hours=30))  # 30 h later: a new storm
    assert next_day[0].event_id == next_day[0].id


def test_detectors_of_one_site_are_one_event(db, fixed_clock) -> None:
    from sqlalchemy import select

    from yingji.registry.models import Enterprise

    fixed_clock(T0 + 2 * H)
    site = db.scalar(select(Enterprise.id).order_by(Enterprise.id.desc()))
    tank = make_sensor(db, "tank_level", region=LABAO, enterprise_id=site)
    gas = make_sensor(db, "gas", region=LABAO, enterprise_id=site)
    feed(db, tank, (0 * M, 96.0))
    feed(db, gas, (M, 30.0))
    [a], [b] = alarms_of(db, tank), alarms_of(db, gas)
    assert a.event_id == a.id and b.event_id == a.id  # the tank alarm opened the event


def test_events_list_red_first_with_counts_and_filters(db, api, fixed_clock) -> None:
    fixed_clock(T0 + 3 * H)
    _storm(db, LABAO_VILLAGES, mm=60.0)  # 3 h ≥ 50 mm: orange, at 00:30
    [red] = _storm(db, [JINDE_VILLAGE], mm=120.0, at=timedelta(minutes=10))  # ≥ 100 mm: red, earlier
    db.commit()
    duty = api("duty")
    page = duty.get(f"{EVENTS}?active=true&page_size=500").json()
    mine = [e for e in page["items"] if e["lead"]["first_ts"].startswith("2026-05-31")]
    assert [(e["level"], e["count"]) for e in mine] == [("red", 1), ("orange", 3)]
    levels = [e["level"] for e in page["items"]]
    assert levels == sorted(levels, key=["red", "orange", "yellow", "blue"].index)  # red never after orange
    only_labao = duty.get(f"{EVENTS}?active=true&township={LABAO}&page_size=500").json()["items"]
    assert all(e["lead"]["region_path"].split("/")[1] == LABAO for e in only_labao)
    assert red.event_id not in [e["event_id"] for e in only_labao]
    reds = duty.get(f"{EVENTS}?level=red&page_size=500").json()["items"]
    assert red.event_id in [e["event_id"] for e in reds] and {e["level"] for e in reds} == {"red"}
    flat = duty.get(f"{ALARMS}?active=true&page_size=500").json()["items"]
    order = ["red", "orange", "yellow", "blue"].index
    assert [a["level"] for a in flat] == sorted((a["level"] for a in flat), key=order)
    r = duty.get(f"{EVENTS}?township=999")
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "township"
    assert duty.get(f"{EVENTS}?level=purple").status_code == 422


def test_acknowledging_an_event_acknowledges_every_open_member_with_one_note(db, api, fixed_clock) -> None:
    fixed_clock(T0 + 2 * H)
    storm = _storm(db, LABAO_VILLAGES)
    db.commit()
    event_id = storm[0].event_id
    assert api("officer").post(f"{EVENTS}/{event_id}/acknowledge", json={"note": "x"}).status_code == 403
    r = api("labao").post(f"{EVENTS}/{event_id}/acknowledge", json={"note": "已通知各村转移"})
    assert r.status_code == 200 and sorted(a["id"] for a in r.json()) == sorted(a.id for a in storm)
    db.expire_all()
    for a in storm:
        notes = [e.note for e in db.query(AlarmEvent).filter_by(alarm_id=a.id, kind="acknowledged")]
        assert notes == ["已通知各村转移"]
    assert api("labao").post(f"{EVENTS}/{event_id}/acknowledge", json={}).status_code == 409


def test_event_outside_scope_is_404(db, api, fixed_clock) -> None:
    fixed_clock(T0 + 2 * H)
    [a] = _storm(db, [JINDE_VILLAGE])
    db.commit()
    assert api("labao").post(f"{EVENTS}/{a.event_id}/acknowledge", json={}).status_code == 404
    assert JINDE in a.region_path


def test_pages_group_filter_and_acknowledge(db, page_client, fixed_clock) -> None:
    fixed_clock(T0 + 2 * H)
    storm = _storm(db, LABAO_VILLAGES)
    [red] = _storm(db, [JINDE_VILLAGE], mm=120.0)
    db.commit()
    c = page_client("duty")
    html = c.get(f"/monitoring?township={LABAO}&page=1").text
    assert f'data-event="{storm[0].event_id}" data-count="3"' in html and f'data-alarm="{red.id}"' not in html
    html = c.get("/monitoring").text
    assert html.index(f'data-alarm="{red.id}"') < html.index(f'data-event="{storm[0].event_id}"')
    assert 'name="township"' in html and 'name="level"' in html
    detail = c.get(f"/monitoring/alarms/{storm[1].id}").text
    assert "同一事件的告警（3 条）" in detail and "确认本事件 3 条未确认告警" in detail
    r = c.post(
        f"/monitoring/events/{storm[0].event_id}/acknowledge",
        data={"note": "统一确认", "csrf_token": c.csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    db.expire_all()
    assert {db.get(type(a), a.id).state for a in storm} == {"acknowledged"}
    card = c.get("/monitoring/dashboard-card").text
    assert card.index(f'data-event="{red.event_id}"') < card.index(f'data-event="{storm[0].event_id}"')
    assert "等 3 条" in card


def test_an_event_is_shown_by_its_most_severe_then_highest_alarm(db, api, fixed_clock) -> None:
    fixed_clock(T0 + 2 * H)
    storm = []
    for code, mm in zip(LABAO_VILLAGES, (60.0, 80.0, 70.0), strict=True):  # all orange: 50 ≤ 3 h total < 100
        storm += _storm(db, [code], mm=mm)
    db.commit()
    items = api("duty").get(f"{EVENTS}?active=true&township={LABAO}&page_size=500").json()["items"]
    [event] = [e for e in items if e["event_id"] == storm[0].event_id]
    assert (event["count"], event["lead"]["id"], event["lead"]["peak_value"]) == (3, storm[1].id, 80.0)
