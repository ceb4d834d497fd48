"""POST /api/v1/monitoring/rule-packs/{pack}: installs the 暴雨 pack as 中国气象局令第16号 gives it, once;
refuses an unknown pack by name; only staff with rule rights may install."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from yingji.monitoring.models import Rule

PACKS = "/api/v1/monitoring/rule-packs"

# 中国气象局令第16号, 暴雨预警信号, the observed half of each criterion (written out from the regulation).
RAINSTORM = {
    "blue": (12 * 3600, 50),  # 12 小时内降雨量已达 50 毫米以上
    "yellow": (6 * 3600, 50),  # 6 小时内 50 毫米以上
    "orange": (3 * 3600, 50),  # 3 小时内 50 毫米以上
    "red": (3 * 3600, 100),  # 3 小时内 100 毫米以上
}


def test_install_the_rainstorm_pack_once(api, db) -> None:
    db.execute(delete(Rule).where(Rule.pack == "rainstorm"))  # the demo installed it: start without
    db.flush()
    r = api("duty").post(f"{PACKS}/rainstorm")
    assert r.status_code == 200, r.text
    rules = {x["level"]: x for x in r.json()}
    assert {lv: (x["params"]["window_s"], x["params"]["value"]) for lv, x in rules.items()} == RAINSTORM
    assert all(x["kind"] == "accumulation" and x["sensor_kind"] == "rain_gauge" for x in rules.values())
    assert all(x["group"] == "rainstorm" for x in rules.values())
    assert {lv: x["name"] for lv, x in rules.items()} == {
        "blue": "暴雨蓝色（实况 12 小时 ≥ 50 毫米）",
        "yellow": "暴雨黄色（实况 6 小时 ≥ 50 毫米）",
        "orange": "暴雨橙色（实况 3 小时 ≥ 50 毫米）",
        "red": "暴雨红色（实况 3 小时 ≥ 100 毫米）",
    }
    again = api("duty").post(f"{PACKS}/rainstorm")
    assert again.status_code == 200 and again.json() == []  # installed once; staff edits are kept
    assert db.scalar(select(func.count()).select_from(Rule).where(Rule.pack == "rainstorm")) == 4


def test_unknown_pack_is_named_and_others_may_not_install(api, client, db) -> None:
    before = db.scalar(select(func.count()).select_from(Rule))
    r = api("duty").post(f"{PACKS}/hail")
    assert r.status_code == 422
    [detail] = r.json()["error"]["details"]
    assert detail["field"] == "pack" and "hail" in detail["message"] and "rainstorm" in detail["message"]
    for user in ("labao", "leader", "officer", "chem", "liaison"):
        assert api(user).post(f"{PACKS}/rainstorm").status_code == 403, user
    assert client.post(f"{PACKS}/rainstorm").status_code == 401
    assert db.scalar(select(func.count()).select_from(Rule)) == before
