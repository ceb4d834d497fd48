"""Each rule kind on hand-made series, window edges included, with the built-in packs as installed by the demo."""

from __future__ import annotations

from yingji.core.actor import SYSTEM
from yingji.monitoring import service
from yingji.monitoring.service.alarms import evaluate_silence

from .helpers import JINDE, LABAO, T0, H, M, alarms_of, feed, make_rule, make_sensor


def test_accumulation_window_excludes_the_reading_at_its_open_edge(db, fixed_clock) -> None:
    fixed_clock(T0 + 10 * H)
    gauge = make_sensor(db, "rain_gauge")
    # 10 mm exactly 3 h before the last reading: outside (t-3h, t], inside the 6 h window.
    feed(db, gauge, (0 * H, 10.0), (1 * H, 20.0), (2 * H, 20.0), (3 * H, 9.9))
    [alarm] = alarms_of(db, gauge, "rainstorm")
    assert alarm.level == "yellow"  # 6 h: 59.9 ≥ 50; 3 h: 49.9 < 50
    assert alarm.value == 59.9
    # Five minutes later the 10 mm leaves nothing: the 3 h window (0:05, 3:05] holds 20 + 20 + 9.9 + 0.2.
    feed(db, gauge, (3 * H + 5 * M, 0.2))
    [alarm] = alarms_of(db, gauge, "rainstorm")
    assert alarm.level == "orange" and alarm.value == 50.1 and alarm.peak_level == "orange"
    assert alarm.hits == 3  # opened at 2:00, when the 6 h window held exactly 50 mm ("以上": ≥)
    assert alarm.first_ts == T0 + 2 * H


def test_accumulation_red_and_batch_of_many_readings(db, fixed_clock) -> None:
    fixed_clock(T0 + 10 * H)
    gauge = make_sensor(db, "rain_gauge")
    items = [{"sensor": gauge.code, "ts": (T0 + k * 10 * M).isoformat(), "value": 6.0} for k in range(18)]
    out = service.ingest(db=db, actor=SYSTEM, items=items)
    assert out.accepted == 18
    [alarm] = alarms_of(db, gauge, "rainstorm")
    # 18 readings 10 min apart: the newest window (−0:10, 2:50] holds all 18 × 6 = 108 mm ≥ 100.
    assert alarm.level == "red" and alarm.value == 108.0


def test_late_reading_shifts_running_totals(db, fixed_clock) -> None:
    fixed_clock(T0 + 10 * H)
    gauge = make_sensor(db, "rain_gauge")
    feed(db, gauge, (0 * H, 10.0), (2 * H, 10.0))
    feed(db, gauge, (1 * H, 35.0))  # arrives late
    assert alarms_of(db, gauge, "rainstorm") == []  # late readings are stored, not evaluated
    feed(db, gauge, (2 * H + 30 * M, 0.5))
    [alarm] = alarms_of(db, gauge, "rainstorm")
    assert alarm.value == 55.5 and alarm.level == "orange"


def test_threshold_levels_repeat_and_clear_with_hold(db, fixed_clock) -> None:
    fixed_clock(T0 + 10 * H)
    gauge = make_sensor(db, "waterlogging", region=LABAO)
    feed(db, gauge, (0 * M, 10.0), (5 * M, 16.0))
    [alarm] = alarms_of(db, gauge, "waterlogging")
    assert (alarm.level, alarm.state, alarm.value) == ("blue", "open", 16.0)
    feed(db, gauge, (10 * M, 30.0), (15 * M, 45.0))
    [alarm] = alarms_of(db, gauge, "waterlogging")  # repeats update the one alarm
    assert (alarm.level, alarm.peak_value, alarm.hits) == ("orange", 45.0, 3)
    feed(db, gauge, (20 * M, 5.0))
    assert alarm.cleared_at == T0 + 20 * M and alarm.state == "open"
    feed(db, gauge, (30 * M, 5.0))  # 10 min clear < 15 min hold
    assert alarm.state == "open"
    feed(db, gauge, (35 * M, 5.0))  # 15 min clear: resolved
    assert alarm.state == "resolved" and alarm.ended_at is not None
    feed(db, gauge, (40 * M, 20.0))
    alarms = alarms_of(db, gauge, "waterlogging")  # by level first: the resolved orange one, then the new blue
    seen = [(a.id == alarm.id, a.level, a.state) for a in alarms]
    assert seen == [(True, "orange", "resolved"), (False, "blue", "open")]


def test_flapping_continues_the_same_alarm_and_lengthens_the_hold(db, fixed_clock) -> None:
    fixed_clock(T0 + 10 * H)
    gauge = make_sensor(db, "waterlogging", region=LABAO)
    feed(db, gauge, (0 * M, 20.0), (5 * M, 0.0), (10 * M, 20.0), (15 * M, 0.0))
    [alarm] = alarms_of(db, gauge, "waterlogging")
    assert alarm.flaps == 1 and alarm.cleared_at == T0 + 15 * M
    feed(db, gauge, (31 * M, 0.0))  # 16 min clear, but one flap doubles the 15 min hold
    assert alarm.state == "open"
    feed(db, gauge, (46 * M, 0.0))
    assert alarm.state == "resolved"


def test_rate_of_change_on_landslide_displacement(db, fixed_clock) -> None:
    fixed_clock(T0 + 10 * H)
    gnss = make_sensor(db, "displacement", region=JINDE)
    feed(db, gnss, (0 * H, 0.0), (1 * H, 0.5))
    assert alarms_of(db, gnss) == []  # 0.5 mm/h
    feed(db, gnss, (2 * H, 6.0))
    [alarm] = alarms_of(db, gnss, "landslide-rate")
    assert alarm.level == "orange" and alarm.value == 5.5
    feed(db, gnss, (2 * H + 30 * M, 11.5))  # 5.5 mm in half an hour: 11 mm/h
    assert alarm.level == "red" and alarm.value == 11.0


def test_no_data_fires_after_n_intervals_and_clears_on_reading(db, fixed_clock) -> None:
    fixed_clock(T0)
    gauge = make_sensor(db, "bridge_strain", interval_s=600)
    make_rule(db, name="桥梁应变中断", kind="no_data", level="blue", sensor_code=gauge.code, params={"intervals": 3})
    fixed_clock(T0 + 29 * M)
    evaluate_silence(db=db, now=T0 + 29 * M)
    assert alarms_of(db, gauge) == []
    fixed_clock(T0 + 30 * M)
    evaluate_silence(db=db, now=T0 + 30 * M)
    [alarm] = alarms_of(db, gauge)
    assert alarm.level == "blue" and alarm.value == 30.0
    feed(db, gauge, (31 * M, 1.0))
    evaluate_silence(db=db, now=T0 + 32 * M)
    assert alarm.cleared_at == T0 + 32 * M


def test_combination_of_sensors_in_an_area(db, fixed_clock) -> None:
    fixed_clock(T0 + 10 * H)
    rule = make_rule(
        db,
        name="进德镇两处内涝",
        kind="combination",
        level="red",
        sensor_kind="waterlogging",
        region_code=JINDE,
        params={"min_sensors": 2, "min_level": "yellow"},
    )
    a, b = make_sensor(db, "waterlogging", region=JINDE), make_sensor(db, "waterlogging", region=JINDE)
    feed(db, a, (0 * M, 30.0))
    feed(db, b, (0 * M, 16.0))  # blue only: not counted
    rows, _ = service.list_alarms(db=db, actor=SYSTEM, page=_page(), level="red")
    assert [x for x in rows if x.group == rule.group] == []
    feed(db, b, (5 * M, 28.0))
    rows, _ = service.list_alarms(db=db, actor=SYSTEM, page=_page(), level="red")
    [area] = [x for x in rows if x.group == rule.group]
    assert area.sensor_id is None and area.value == 2.0 and area.region_path.endswith(JINDE)


def test_rules_are_versioned_and_alarms_record_the_version(db, fixed_clock, api) -> None:
    fixed_clock(T0 + 10 * H)
    gauge = make_sensor(db, "tank_temperature", region=LABAO)
    rule = make_rule(
        db, name="温度高", kind="threshold", level="yellow", sensor_code=gauge.code, params={"op": ">=", "value": 50}
    )
    db.flush()
    r = api("duty").patch(f"/api/v1/monitoring/rules/{rule.id}", json={"params": {"op": ">=", "value": 40}})
    assert r.status_code == 200 and r.json()["version"] == 2
    versions = api("duty").get(f"/api/v1/monitoring/rules/{rule.id}/versions").json()["items"]
    assert [v["snapshot"]["params"]["value"] for v in versions] == [50, 40]
    db.expire_all()
    feed(db, gauge, (0 * M, 45.0))
    [alarm] = alarms_of(db, gauge)
    assert alarm.rule_version == 2
    bad = api("duty").patch(f"/api/v1/monitoring/rules/{rule.id}", json={"params": {"op": "==", "value": 40}})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "params.op"


def _page():
    from yingji.core.pagination import PageParams

    return PageParams(page_size=200)
