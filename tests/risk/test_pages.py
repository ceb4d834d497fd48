"""Pages render for every role that may see them, in Chinese, with the data of the demo district."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.risk.helpers import new_hazard
from yingji.core.clock import utcnow


@pytest.mark.parametrize("who", ["duty", "labao", "chem", "officer", "leader", "liaison"])
def test_risk_pages_render_for_each_role(page_client, who) -> None:
    c = page_client(who)
    for url in [
        "/risk",
        "/risk/hazards",
        "/risk/points",
        "/risk/major-hazards",
        "/risk/import",
        "/risk/card",
        "/risk/hazards?overdue=1",
    ]:
        r = c.get(url)
        assert r.status_code == 200, (who, url, r.text[:500])
        assert "Traceback" not in r.text


def test_navigation_no_longer_says_not_built(page_client) -> None:
    html = page_client("duty").get("/").text
    entry = re.search(r'<a href="/risk"[^>]*>(.*?)</a>', html, re.S).group(1)
    assert "风险防控" in entry and "未建设" not in entry
    assert 'id="risk-card"' in html


def test_overview_lists_enterprises_by_level_with_frequency(page_client) -> None:
    html = page_client("duty").get("/risk").text
    assert 'id="enterprise-risks"' in html
    assert "每年 12 次" in html  # red enterprises are inspected monthly
    assert "risk-chart-trend" in html


def test_enterprise_page_and_hazard_detail(page_client, api) -> None:
    c = page_client("chem")
    me = api("chem").get("/api/v1/auth/me")
    eid = me.json()["enterprise_id"] if me.status_code == 200 else None
    rows = api("chem").get("/api/v1/risk/hazards").json()["items"]
    assert rows, "the chem demo enterprise has hazards"
    eid = eid or rows[0]["enterprise_id"]
    html = c.get(f"/risk/enterprises/{eid}").text
    assert "风险点清单" in html and "导出一企一清单" in html
    detail = c.get(f"/risk/hazards/{rows[0]['id']}")
    assert detail.status_code == 200 and "办理记录" in detail.text


def test_map_includes_risk_layers(page_client) -> None:
    html = page_client("duty").get("/map").text
    assert '"url": "/api/v1/risk/map/grid"' in html and "风险网格" in html


def _card_counts(html: str) -> dict[str, int]:
    m = re.search(r"未销号隐患 (\d+) 项</a>，其中重大 (\d+) 项，挂牌督办 (\d+) 项", html)
    overdue = re.search(r'data-stat="risk-overdue">逾期 (\d+) 项', html)
    assert m and overdue, html
    return {"open": int(m[1]), "major": int(m[2]), "supervised": int(m[3]), "overdue": int(overdue[1])}


def test_dashboard_card_counts(page_client, db, fixed_clock) -> None:
    start = utcnow()
    fixed_clock(start + timedelta(days=2))
    c = page_client("duty")
    before = _card_counts(c.get("/risk/card").text)
    fixed_clock(start)
    new_hazard(db, grade="major", days=1)
    new_hazard(db, grade="general", days=5)
    db.flush()
    fixed_clock(start + timedelta(days=2))  # the major one is now past its deadline, the general one not
    after = _card_counts(c.get("/risk/card").text)
    assert after == {
        "open": before["open"] + 2,
        "major": before["major"] + 1,
        "supervised": before["supervised"],
        "overdue": before["overdue"] + 1,
    }


def test_reports_page_is_for_staff_only(page_client) -> None:
    assert page_client("duty").get("/risk/reports").status_code == 200
    assert page_client("chem").get("/risk/reports").status_code == 403
    assert page_client("officer").get("/risk/reports").status_code == 403
