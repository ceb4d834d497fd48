"""The duty-room wall: what each reader's snapshot holds (scope, drills flagged 演练 and never counted, lists
capped), the page and its stream routes, the contrast of its colours (≥ 7:1, computed from screen.css), and
the generic table export (exactly the rows posted, for a logged-in reader with the page's CSRF token, text
never a formula)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.incidents.helpers import JINDE, report
from yingji.stats import screen

CSS = Path(__file__).resolve().parents[2] / "src/yingji/web/static/css/screen.css"
NOW = datetime(2031, 5, 1, 4, tzinfo=UTC)


def user(db, username: str):
    from yingji.accounts.models import User

    return db.query(User).filter_by(username=username).one()


@pytest.fixture
def incidents(db, fixed_clock):
    fixed_clock(NOW)
    report(db, kind="industry_trade", title="拉堡工贸事故", occurred_at=datetime(2031, 3, 1, 2, tzinfo=UTC), deaths=2)
    report(db, kind="industry_trade", title="进德演练事故", occurred_at=datetime(2031, 3, 2, 2, tzinfo=UTC),
           region_code=JINDE, deaths=5, drill=True)
    report(db, kind="road_traffic", title="进德交通事故", occurred_at=datetime(2031, 4, 2, 2, tzinfo=UTC),
           region_code=JINDE, deaths=1)
    db.flush()


def titles(panel: dict) -> list[str]:
    return [i["title"] for i in panel["items"]]


def test_drills_are_flagged_on_the_wall_and_never_counted(db, incidents) -> None:
    snap = screen.snapshot(db, user(db, "duty"), now=NOW)
    drills = {i["title"]: i["drill"] for i in snap["incidents"]["items"]}
    assert drills["进德演练事故"] is True and drills["拉堡工贸事故"] is False
    ind = {i["code"]: i for i in snap["indicators"]["items"]}
    assert snap["indicators"]["year"] == 2031
    assert ind["work_safety_deaths"]["value"] == "3"  # 2 + 1; the drill's 5 left out
    assert ind["work_safety_deaths"]["met"] is True
    assert ind["major_accidents"]["value"] == "0"
    # GDP, population and vehicles are not the platform's records: missing, never zero.
    assert ind["deaths_per_100m_gdp"]["value"] is None
    assert ind["deaths_per_100m_gdp"]["missing"] == "缺2031年地区生产总值"
    assert ind["road_deaths_per_10k_vehicles"]["missing"] == "缺2031年机动车保有量"


def test_each_reader_sees_its_own_scope_and_what_it_may_not_read_says_so(db, incidents) -> None:
    duty = screen.snapshot(db, user(db, "duty"), now=NOW)
    labao = screen.snapshot(db, user(db, "labao"), now=NOW)
    officer = screen.snapshot(db, user(db, "officer"), now=NOW)
    assert {"拉堡工贸事故", "进德交通事故"} <= set(titles(duty["incidents"]))
    assert "拉堡工贸事故" in titles(labao["incidents"]) and "进德交通事故" not in titles(labao["incidents"])
    # The township's indicators count the township's own records only.
    assert {i["code"]: i["value"] for i in labao["indicators"]["items"]}["work_safety_deaths"] == "2"
    assert officer["orders"] == {"denied": True, "items": [], "total": 0}  # no command access
    assert officer["duty"]["denied"] is True
    assert "拉堡工贸事故" not in titles(officer["incidents"])  # the officer sees the incidents it reported


def test_lists_are_capped_with_the_full_count(db, incidents) -> None:
    for n in range(screen.LIMIT + 3):
        report(db, title=f"批量{n}", occurred_at=datetime(2031, 4, 10, 2, tzinfo=UTC))
    snap = screen.snapshot(db, user(db, "duty"), now=NOW)
    assert len(snap["incidents"]["items"]) == screen.LIMIT
    assert snap["incidents"]["total"] >= screen.LIMIT + 3 + 2


def test_the_token_changes_with_what_the_wall_shows_and_not_with_the_time(db, incidents) -> None:
    actor = user(db, "duty")
    a = screen.snapshot(db, actor, now=NOW)
    b = screen.snapshot(db, actor, now=NOW)
    b["as_of"] = "later"
    assert screen.token(a) == screen.token(b)
    report(db, title="新接报", occurred_at=datetime(2031, 4, 30, 2, tzinfo=UTC))
    assert screen.token(screen.snapshot(db, actor, now=NOW)) != screen.token(a)


def test_the_wall_page_and_its_data_need_a_login(client, page_client) -> None:
    assert client.get("/stats/screen", follow_redirects=False).status_code == 303
    assert client.get("/stats/screen/data", follow_redirects=False).status_code == 303
    assert client.get("/stats/screen/stream", follow_redirects=False).status_code == 303
    duty = page_client("duty")
    page = duty.get("/stats/screen")
    assert page.status_code == 200
    assert 'id="map"' in page.text and "/static/js/map.js" in page.text and "/static/js/screen.js" in page.text
    assert 'id="map-config"' in page.text  # the same layers as /map, no tile server needed
    assert duty.get("/stats/screen?poll_s=0").status_code == 422
    data = duty.get("/stats/screen/data").json()
    assert set(data) >= {"alarms", "warnings", "upstream", "incidents", "orders", "duty", "indicators"}


# --- contrast ------------------------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_matches_the_wcag_examples() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_every_text_colour_has_at_least_7_to_1_on_every_background() -> None:
    css = CSS.read_text(encoding="utf-8")
    variables = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    texts = {k: v for k, v in variables.items() if k.startswith("text-")}
    backgrounds = {k: v for k, v in variables.items() if k.startswith("bg-")}
    assert len(texts) >= 5 and len(backgrounds) >= 2
    low = [(t, b, round(contrast(tv, bv), 2)) for t, tv in texts.items() for b, bv in backgrounds.items()
           if contrast(tv, bv) < 7]
    assert low == []
    # Every text colour and background of the page is one of those variables (no colour escapes the check).
    body = css.split("}", 1)[1]
    colours = re.findall(r"(?<![\w-])color:\s*([^;]+);", body)
    assert colours and all(c.strip() in {f"var(--{k})" for k in texts} | {"currentColor"} for c in colours), colours
    fills = re.findall(r"background:\s*([^;]+);", body)
    assert all(f.strip() in {f"var(--{k})" for k in backgrounds} for f in fills), fills


def test_font_sizes_scale_with_the_screen() -> None:
    css = CSS.read_text(encoding="utf-8")
    assert re.search(r"html\s*\{\s*font-size:\s*[\d.]+vh", css)
    sizes = re.findall(r"font-size:\s*([^;]+);", css)
    assert all(s.endswith(("rem", "vh", "vw")) for s in sizes), sizes


# --- the table export ----------------------------------------------------------------------------------


def _sheet(data: bytes) -> list[list]:
    return [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def test_the_export_holds_exactly_the_rows_posted(page_client) -> None:
    c = page_client("labao")
    body = {"title": "事件列表", "page": "/incidents?page=2", "header": ["编号", "标题", "死亡"],
            "rows": [["12", "拉堡 工贸\n事故", "2"], ["13", "=HYPERLINK(\"http://x\")", "0.5"],
                     ["14", "450206100000", "007"]]}
    r = c.post("/export/table.xlsx", json=body, headers={"X-CSRF-Token": c.csrf})
    assert r.status_code == 200, r.text
    assert "attachment" in r.headers["content-disposition"]
    rows = _sheet(r.content)
    assert rows[0][0] == "事件列表" and "/incidents?page=2" in rows[1][0]
    assert rows[2] == ["编号", "标题", "死亡"]
    assert rows[3:] == [[12, "拉堡 工贸 事故", 2], [13, '=HYPERLINK("http://x")', 0.5],
                        [14, "450206100000", "007"]]  # codes and leading zeros stay text
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.cell(5, 2).data_type == "s" and ws.cell(5, 2).quotePrefix  # text, never a formula


def test_the_export_needs_a_logged_in_reader_and_the_csrf_token(client, page_client) -> None:
    body = {"title": "t", "header": ["a"], "rows": [["1"]]}
    assert client.post("/export/table.xlsx", json=body, follow_redirects=False).status_code in (303, 401)
    c = page_client("duty")
    assert c.post("/export/table.xlsx", json=body).status_code == 403  # no CSRF token
    too_many = {"title": "t", "header": ["a"], "rows": [["1"]] * 5001}
    r = c.post("/export/table.xlsx", json=too_many, headers={"X-CSRF-Token": c.csrf})
    assert r.status_code in (413, 422)
    r = c.post("/export/table.xlsx", json={"title": "t", "header": "a", "rows": []}, headers={"X-CSRF-Token": c.csrf})
    assert r.status_code == 422 and "header" in r.text


def test_every_logged_in_page_carries_the_export_script(page_client) -> None:
    c = page_client("labao")
    for path in ("/", "/incidents", "/stats/reports"):
        assert '/static/js/table-export.js' in c.get(path).text, path


def test_orders_under_way_are_those_not_yet_on_scene(db, fixed_clock) -> None:
    from yingji.incidents import service as incidents_service

    rows, total = incidents_service.orders_under_way(db=db, actor=user(db, "duty"))
    assert total == len(rows) >= 1  # the demo rainstorm has orders under way
    assert all(r["status"] in ("sent", "acknowledged", "en_route") for r in rows)
    snap = screen.snapshot(db, user(db, "duty"))
    assert snap["orders"]["total"] == total
    assert {i["status"] for i in snap["orders"]["items"]} <= {"已下达", "已签收", "出发途中"}
    with pytest.raises(Exception, match="权限"):
        incidents_service.orders_under_way(db=db, actor=user(db, "officer"))
