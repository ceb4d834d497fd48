"""The monitoring pages, as a duty officer and a township officer use them."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from yingji.monitoring.models import Rule

from .helpers import LABAO, T0, M, alarms_of, feed, make_sensor


def test_overview_alarm_handling_and_sensor_chart(db, page_client, fixed_clock) -> None:
    fixed_clock(T0 + 10 * M)
    gauge = make_sensor(db, "waterlogging", region=LABAO)
    feed(db, gauge, (0 * M, 12.0), (5 * M, 42.0))
    [alarm] = alarms_of(db, gauge)
    db.commit()
    c = page_client("labao")
    home = c.get("/monitoring")
    assert home.status_code == 200 and f'data-alarm="{alarm.id}"' in home.text
    assert "未建设" not in re.search(r'href="/monitoring".*?</a>', home.text, re.S).group(0)
    page = c.get(f"/monitoring/alarms/{alarm.id}")
    assert "确认告警" in page.text and 'name="csrf_token"' in page.text
    assert c.post(f"/monitoring/alarms/{alarm.id}/acknowledge", data={"note": "x"}).status_code == 403  # no CSRF
    r = c.post(
        f"/monitoring/alarms/{alarm.id}/acknowledge",
        data={"note": "已派人查看", "csrf_token": c.csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert 'data-state="acknowledged"' in c.get(f"/monitoring/alarms/{alarm.id}").text
    sensor = c.get(f"/monitoring/sensors/{gauge.id}?hours=24")
    data = json.loads(re.search(r'id="sensor-chart-data">(.*?)</script>', sensor.text, re.S).group(1))
    assert data["resolution"] == "raw" and [p["value"] for p in data["points"]] == [12.0, 42.0]
    assert {t["value"] for t in data["thresholds"]} >= {15, 27, 40, 50}
    assert c.get("/monitoring/sensors?kind=waterlogging").status_code == 200
    card = c.get("/monitoring/dashboard-card")
    assert "监测告警" in card.text and "处置中 " in card.text and "/monitoring/alarms/" in card.text


def test_rule_edit_from_the_page_and_bad_input(db, page_client) -> None:
    c = page_client("duty")
    rule = db.scalar(select(Rule).where(Rule.code == "waterlog-blue"))
    page = c.get("/monitoring/rules").text
    assert f'data-rule="{rule.id}"' in page and "waterlog-blue" not in page  # the name, never the code
    assert 'name="p_value"' in page and 'name="params"' not in page  # fields, not JSON
    form = {"csrf_token": c.csrf, "level": "blue", "p_op": ">=", "p_value": "18", "enabled": "on"}
    assert c.post(f"/monitoring/rules/{rule.id}", data=form, follow_redirects=False).status_code == 303
    db.expire_all()
    assert db.get(Rule, rule.id).params == {"op": ">=", "value": 18} and db.get(Rule, rule.id).version == 2
    bad = c.post(f"/monitoring/rules/{rule.id}", data={**form, "p_value": "十八"})
    assert bad.status_code == 422 and "不是数字" in bad.text
    db.expire_all()
    assert db.get(Rule, rule.id).version == 2
    rain = db.scalar(select(Rule).where(Rule.code == "rainstorm-orange"))
    form = {"csrf_token": c.csrf, "level": "orange", "p_window_h": "6", "p_value": "60", "enabled": "on"}
    assert c.post(f"/monitoring/rules/{rain.id}", data=form, follow_redirects=False).status_code == 303
    db.expire_all()
    assert db.get(Rule, rain.id).params == {"window_s": 21600, "value": 60}  # 6 h = 21 600 s
    assert page_client("labao").post(f"/monitoring/rules/{rule.id}", data=form).status_code == 403


def test_excel_import_from_the_sensors_page(page_client, api) -> None:
    import io

    from openpyxl import load_workbook

    from .helpers import VILLAGE

    c = page_client("duty")
    assert 'action="/monitoring/sensors/import"' in c.get("/monitoring/sensors").text
    wb = load_workbook(io.BytesIO(api("duty").get("/api/v1/monitoring/sensors/template.xlsx").content))
    wb.active.delete_rows(2)
    wb.active.append(["PG-XL-1", "页面导入雨量站", "雨量计", "", "qx", None, 109.33, 24.27, VILLAGE])
    buf = io.BytesIO()
    wb.save(buf)
    files = {"file": ("s.xlsx", buf.getvalue(), "application/octet-stream")}
    r = c.post("/monitoring/sensors/import", data={"csrf_token": c.csrf}, files=files, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("imported=1")
    assert "已导入 1 个传感器" in c.get(r.headers["location"]).text
    labao = page_client("labao")
    assert labao.post("/monitoring/sensors/import", data={"csrf_token": labao.csrf}, files=files).status_code == 403
