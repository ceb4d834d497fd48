"""The incident and duty pages: a phone report through the form lands on the incident page with its
timeline and obligations; a late obligation shows red; a stale casualty change shows the conflict and keeps
what was typed; the duty page shows who is on duty and the roster; the menu leads to both."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.incidents.helpers import LABAO, T0
from tests.incidents.test_duty import ROWS, xlsx

FORM = {"kind": "work_safety", "occurred_at": "2026-06-01T10:00", "region_code": LABAO, "deaths": "1",
        "missing": "0", "serious_injuries": "0", "trapped": "0", "direct_loss_yuan": "0",
        "description": "厂房起重伤害", "source": "phone", "reporter_name": "报警人王某"}


def test_report_form_to_incident_page(page_client, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(hours=3))
    c = page_client("duty")
    form = c.get("/incidents/new")
    assert form.status_code == 200 and 'id="incident-map"' in form.text and "data-place-picker" in form.text
    assert "<script>" not in form.text
    r = c.post("/incidents/new", data={**FORM, "csrf_token": c.csrf}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = c.get(r.headers["location"]).text
    assert 'id="timeline"' in page and "接报（值班电话）" in page
    # Received 13:00 for a 10:00 accident: the unit's one-hour report is 迟报 by 120 minutes, shown red.
    row = re.search(r'<tr class="late" data-code="unit_to_county".*?</tr>', page, re.S)
    assert row and "迟报 120 分钟" in row.group(0)
    assert c.get("/incidents").text.count("/incidents/") >= 2


def test_bad_form_names_the_field_and_keeps_the_input(page_client) -> None:
    c = page_client("duty")
    r = c.post("/incidents/new", data={**FORM, "kind": "", "csrf_token": c.csrf})
    assert r.status_code == 422 and 'class="field-error"' in r.text and "报警人王某" in r.text


def test_stale_casualty_change_shows_the_conflict_and_keeps_the_typed_counts(page_client, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(minutes=30))
    c = page_client("duty")
    url = c.post("/incidents/new", data={**FORM, "csrf_token": c.csrf}, follow_redirects=False).headers["location"]
    first = {"csrf_token": c.csrf, "version": "1", "deaths": "2", "missing": "0", "serious_injuries": "0",
             "trapped": "0", "source": "镇卫生院"}
    assert c.post(url + "/casualties", data=first, follow_redirects=False).status_code == 303
    stale = c.post(url + "/casualties", data={**first, "deaths": "5", "source": "另一部电话"})
    assert stale.status_code == 409 and "请刷新" in stale.text
    assert 'value="5"' in stale.text and "另一部电话" in stale.text  # nothing typed is lost
    assert 'id="counts">死亡 2' in c.get(url).text


def test_duty_page_shows_roster_and_open_items(page_client, api) -> None:
    duty = api("duty")
    duty.post("/api/v1/duty/roster/import", files={"file": ("r.xlsx", xlsx(ROWS), "application/octet-stream")})
    duty.post("/api/v1/duty/items", json={"text": "核实拉堡镇滑坡转移人数"})
    c = page_client("duty")
    page = c.get("/duty?month=2031-03")
    assert page.status_code == 200 and "2031 年 3 月" in page.text and "覃华" in page.text
    assert "核实拉堡镇滑坡转移人数" in page.text and 'id="on-duty"' in page.text
    r = c.post("/duty/handover", data={"csrf_token": c.csrf, "to_name": "韦明", "note": "", "new_items": ""},
               follow_redirects=False)
    assert r.status_code == 303
    assert "已交接 1 次" in c.get("/duty").text


def test_menu_leads_to_duty_and_incidents(page_client) -> None:
    html = page_client("duty").get("/").text
    assert 'href="/duty"' in html and 'href="/incidents"' in html
    assert page_client("officer").get("/incidents/new").status_code == 200
    assert page_client("liaison").get("/incidents").status_code == 403
