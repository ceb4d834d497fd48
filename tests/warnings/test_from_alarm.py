"""A warning draft from monitoring alarms reads as a public warning: the signal's public headline, what was
observed where and when in Beijing time, the 防御指南 of the signal and level, the places of every alarm
of the event, and no internal codes or the word 告警 — for every rule of every built-in pack."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from yingji.monitoring.standards import rule_packs
from yingji.warnings.models import WarningMessage

from ..monitoring.helpers import T0, VILLAGE, H, alarms_of, feed, make_sensor

FROM_ALARMS = "/api/v1/warnings/from-alarms"
# Written out by hand from the level names of 令16 and the labels of the warning types.
COLOUR = {"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色"}
TYPE_WORD = {
    "rain_gauge": "暴雨",
    "waterlogging": "城市内涝",
    "displacement": "地质灾害",
    "crack": "地质灾害",
    "tank_level": "危化品泄漏",
    "gas": "危化品泄漏",
}
# 中国气象局令第16号 附件, 暴雨橙色预警信号 防御指南 (typed from the regulation's text).
RAINSTORM_ORANGE_GUIDE = (
    "1．政府及相关部门按照职责做好防暴雨应急工作；\n"
    "2．切断有危险的室外电源，暂停户外作业；\n"
    "3．处于危险地带的单位应当停课、停业，采取专门措施保护已到校学生、幼儿和其他上班人员的安全；\n"
    "4．做好城市、农田的排涝，注意防范可能引发的山洪、滑坡、泥石流等灾害。"
)
VILLAGE_NAME = "柳东社区"  # 450206100003 in the shipped district; VILLAGE (450206100001) is read below


def _trigger(db, rule: dict, region: str = VILLAGE):
    """A fresh sensor of the rule's kind and readings that reach exactly the rule's threshold."""
    sensor = make_sensor(db, rule["sensor_kind"], region=region)
    p = rule["params"]
    if rule["kind"] in ("threshold", "accumulation"):
        feed(db, sensor, (timedelta(0), float(p["value"])))
    elif rule["kind"] == "rate":
        feed(db, sensor, (timedelta(0), 10.0), (H, 10.0 + float(p["per_hour"])))
    [alarm] = alarms_of(db, sensor)
    return sensor, alarm


def _public_text(w: dict) -> str:
    return "\n".join([w["headline"], w["description"], w["instruction"], w["area_desc"]])


PACK_RULES = [
    (pack, rule) for pack, spec in rule_packs().items() for rule in spec["rules"] if rule["kind"] != "no_data"
]


@pytest.mark.parametrize(("pack", "rule"), PACK_RULES, ids=[r["code"] for _, r in PACK_RULES])
def test_every_pack_rule_drafts_public_wording(db, api, fixed_clock, pack, rule) -> None:
    fixed_clock(T0 + 2 * H)
    sensor, alarm = _trigger(db, rule)
    db.commit()
    r = api("duty").post(FROM_ALARMS, json={"alarm_ids": [alarm.id]})
    assert r.status_code == 201, r.text
    w = r.json()
    level = alarm.peak_level
    assert w["status"] == "draft" and w["level"] == level
    assert w["headline"] == f"柳江区应急管理局发布{TYPE_WORD[rule['sensor_kind']]}{COLOUR[level]}预警"
    text = _public_text(w)
    for internal in (sensor.code, rule["code"], "告警", f"#{alarm.id}", "RG-", "MH-"):
        assert internal not in text, (internal, text)
    assert not re.search(r"[A-Za-z_]{3,}", text.replace("%LEL", "")), text  # no codes, no English
    assert "北京时间" in w["description"] and w["instruction"].startswith("1．")
    assert w["area"] == {"regions": [VILLAGE]}


def test_rainstorm_draft_says_amount_place_time_and_carries_the_16_guide(db, api, fixed_clock) -> None:
    fixed_clock(T0 + 2 * H)
    gauge = make_sensor(db, "rain_gauge", region=VILLAGE, station="测试村雨量点")
    # 2026-05-31 00:30 UTC = 08:30 Beijing. 30 + 25 = 55 mm by 09:30 reaches 暴雨橙色 (3 h ≥ 50 mm); 5 mm more
    # by 10:00 makes 60 mm, still below red (3 h ≥ 100 mm).
    feed(db, gauge, (timedelta(minutes=30), 30.0), (timedelta(minutes=90), 25.0), (timedelta(minutes=120), 5.0))
    [alarm] = alarms_of(db, gauge, "rainstorm")
    assert alarm.peak_level == "orange"
    db.commit()
    w = api("duty").post(FROM_ALARMS, json={"alarm_ids": [alarm.id]}).json()
    assert w["headline"] == "柳江区应急管理局发布暴雨橙色预警"
    assert w["instruction"] == RAINSTORM_ORANGE_GUIDE
    d = w["description"]
    assert d.startswith("5月31日9时30分至10时（北京时间），拉堡镇城中社区出现强降雨，"), d
    assert "3小时累计雨量最大60毫米（测试村雨量点）" in d and "暴雨橙色预警信号标准" in d


def test_draft_covers_every_village_of_the_event(db, api, fixed_clock) -> None:
    """One storm over three gauges of 拉堡镇: a draft from any one of them covers the three villages."""
    fixed_clock(T0 + 2 * H)
    villages = ["450206100001", "450206100002", "450206100003"]
    alarms = []
    for code in villages:
        gauge = make_sensor(db, "rain_gauge", region=code)
        feed(db, gauge, (timedelta(minutes=30), 60.0))
        [a] = alarms_of(db, gauge, "rainstorm")
        alarms.append(a)
    assert len({a.event_id for a in alarms}) == 1
    db.commit()
    w = api("duty").post(FROM_ALARMS, json={"alarm_ids": [alarms[1].id]}).json()
    assert set(w["area"]["regions"]) >= set(villages)
    assert VILLAGE_NAME in w["description"]


def test_no_data_alarm_is_not_a_public_warning(db, api, fixed_clock) -> None:
    from yingji.core.actor import SYSTEM
    from yingji.monitoring import service

    gauge = make_sensor(db, "rain_gauge", region=VILLAGE)
    feed(db, gauge, (timedelta(0), 0.0))
    rule = next(r for r in service.list_rules(db=db, actor=SYSTEM) if r.code == "silent-rain")
    from yingji.monitoring.schemas import RuleUpdate

    service.update_rule(db=db, actor=SYSTEM, rule_id=rule.id, data=RuleUpdate(enabled=True))
    service.evaluate_silence(db=db, now=T0 + 2 * H)
    [alarm] = alarms_of(db, gauge, "silent-rain")
    db.commit()
    before = db.query(WarningMessage).count()
    r = api("duty").post(FROM_ALARMS, json={"alarm_ids": [alarm.id]})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "alarm_ids"
    db.expire_all()
    assert db.query(WarningMessage).count() == before


def test_scope_and_permissions_from_outside(db, api, fixed_clock) -> None:
    fixed_clock(T0 + 2 * H)
    gauge = make_sensor(db, "rain_gauge", region="450206101201")  # a village of 进德镇
    feed(db, gauge, (timedelta(minutes=30), 60.0))
    [alarm] = alarms_of(db, gauge, "rainstorm")
    db.commit()
    assert api("labao").post(FROM_ALARMS, json={"alarm_ids": [alarm.id]}).status_code == 404
    assert api("leader").post(FROM_ALARMS, json={"alarm_ids": [alarm.id]}).status_code == 403
    assert api("duty").post(FROM_ALARMS, json={"alarm_ids": []}).status_code == 422


def test_draft_without_instruction_cannot_be_submitted_or_published(db, api, fixed_clock) -> None:
    from .helpers import NOW, body

    fixed_clock(NOW)
    w = api("duty").post("/api/v1/warnings", json=body(instruction=" ")).json()
    r = api("duty").post(f"/api/v1/warnings/{w['id']}/submit")
    assert r.status_code == 422
    assert r.json()["error"]["details"] == [{"field": "instruction", "message": "请填写防御指南后再提交或发布"}]
    assert api("duty").get(f"/api/v1/warnings/{w['id']}").json()["status"] == "draft"


def test_alarm_page_offers_a_draft_and_the_form_is_prefilled(page_client, db, fixed_clock) -> None:
    fixed_clock(T0 + 2 * H)
    gauge = make_sensor(db, "rain_gauge", region=VILLAGE)
    feed(db, gauge, (timedelta(minutes=30), 60.0))
    [alarm] = alarms_of(db, gauge, "rainstorm")
    db.commit()
    c = page_client("duty")
    page = c.get(f"/monitoring/alarms/{alarm.id}")
    assert page.status_code == 200 and f"/warnings/new?alarm={alarm.id}" in page.text
    form = c.get(f"/warnings/new?alarm={alarm.id}")
    assert form.status_code == 200
    assert 'value="柳江区应急管理局发布暴雨橙色预警"' in form.text
    assert "政府及相关部门按照职责做好防暴雨应急工作" in form.text and "中国气象局令第16号" in form.text
    assert f'<option value="{VILLAGE}" selected' in form.text
    assert "告警" not in form.text.split('name="description"')[1].split("</textarea>")[0]


def test_unknown_alarm_is_404(page_client) -> None:
    assert page_client("duty").get("/warnings/new?alarm=999999").status_code == 404


def test_a_draft_from_alarms_is_edited_then_submitted(db, api, page_client, fixed_clock) -> None:
    fixed_clock(T0 + 2 * H)
    gauge = make_sensor(db, "rain_gauge", region=VILLAGE)
    feed(db, gauge, (timedelta(minutes=30), 60.0))
    [alarm] = alarms_of(db, gauge, "rainstorm")
    db.commit()
    w = api("duty").post(FROM_ALARMS, json={"alarm_ids": [alarm.id]}).json()
    r = api("duty").patch(f"/api/v1/warnings/{w['id']}", json={"instruction": "1．城中社区低洼户立即转移。"})
    assert r.status_code == 200 and r.json()["instruction"] == "1．城中社区低洼户立即转移。"
    assert r.json()["headline"] == w["headline"]  # what is left out stays
    assert api("duty").patch(f"/api/v1/warnings/{w['id']}", json={"level": "purple"}).status_code == 422
    c = page_client("duty")
    form = c.get(f"/warnings/{w['id']}/edit")
    assert form.status_code == 200 and "修改预警草稿" in form.text and "城中社区低洼户立即转移" in form.text
    fields = {
        "csrf_token": c.csrf, "event_type": "rainstorm", "level": "red", "headline": "柳江区应急管理局发布暴雨红色预警",
        "description": w["description"], "instruction": "1．停止集会、停课、停业。", "area_mode": "regions",
        "regions": [VILLAGE], "effective": "2026-05-31T10:00", "expires": "2026-05-31T22:00",
    }  # fmt: skip
    assert c.post(f"/warnings/{w['id']}/edit", data=fields, follow_redirects=False).status_code == 303
    after = api("duty").get(f"/api/v1/warnings/{w['id']}").json()
    assert (after["level"], after["instruction"]) == ("red", "1．停止集会、停课、停业。")
    assert api("duty").post(f"/api/v1/warnings/{w['id']}/submit").status_code == 200
    assert api("duty").patch(f"/api/v1/warnings/{w['id']}", json={"level": "blue"}).status_code == 409


def test_sender_name_comes_from_settings_or_the_district(db, fixed_clock, monkeypatch) -> None:
    from yingji.core.actor import SYSTEM
    from yingji.geo.models import Region
    from yingji.warnings import settings as warning_settings
    from yingji.warnings.service.from_alarms import compose_from_alarms

    fixed_clock(T0 + 2 * H)
    gauge = make_sensor(db, "rain_gauge", region=VILLAGE)
    feed(db, gauge, (timedelta(minutes=30), 60.0))
    [alarm] = alarms_of(db, gauge, "rainstorm")
    root = db.query(Region).filter(Region.parent_id.is_(None)).one()
    root.name = "融安县"
    db.flush()
    assert compose_from_alarms(db=db, actor=SYSTEM, alarm_ids=[alarm.id]).headline == "融安县应急管理局发布暴雨橙色预警"
    monkeypatch.setenv("YINGJI_WARNINGS_SENDER_NAME", "柳州市柳江区应急管理局")
    warning_settings.settings.cache_clear()
    try:
        text = compose_from_alarms(db=db, actor=SYSTEM, alarm_ids=[alarm.id])
    finally:
        monkeypatch.delenv("YINGJI_WARNINGS_SENDER_NAME")
        warning_settings.settings.cache_clear()
    assert text.headline == "柳州市柳江区应急管理局发布暴雨橙色预警"


def test_a_township_wide_storm_covers_the_township(db, api, fixed_clock) -> None:
    """Three gauges of 进德镇 at orange make the township's area alarm (≥ 3 stations yellow or above) fire
    too: one event, and the draft covers the whole township rather than its villages one by one."""
    fixed_clock(T0 + 2 * H)
    gauges = []
    for code in ("450206101201", "450206101202", "450206101203"):
        gauge = make_sensor(db, "rain_gauge", region=code)
        feed(db, gauge, (timedelta(minutes=30), 60.0))
        gauges.append(alarms_of(db, gauge, "rainstorm")[0])
    db.commit()
    w = api("duty").post(FROM_ALARMS, json={"alarm_ids": [gauges[0].id]}).json()
    assert w["area"] == {"regions": ["450206101000"]}
    assert "进德镇" in w["description"] and "3个雨量站达到暴雨预警标准" in w["description"]


def test_signed_warning_without_instruction_is_not_published(db, api, fixed_clock) -> None:
    from .helpers import NOW, body

    fixed_clock(NOW)
    wid = api("duty").post("/api/v1/warnings", json=body()).json()["id"]
    assert api("duty").post(f"/api/v1/warnings/{wid}/submit").status_code == 200
    assert api("leader").post(f"/api/v1/warnings/{wid}/approve", json={"note": "同意"}).status_code == 200
    w = db.get(WarningMessage, wid)
    w.instruction = ""  # emptied after signing (e.g. by an import): publication still refuses it
    db.commit()
    r = api("leader").post(f"/api/v1/warnings/{wid}/publish")
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "instruction"
    db.expire_all()
    assert db.get(WarningMessage, wid).status == "approved" and db.get(WarningMessage, wid).identifier is None
