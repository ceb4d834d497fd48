"""The pages' forms: each step of the closed loop from a browser-like client, errors shown in Chinese on
the page, nothing changed by a refused step."""

from __future__ import annotations

import re

from sqlalchemy import select

from yingji.risk.models import Hazard

from .helpers import chem_enterprise_id
from .test_excel import POINT_HEADER, sheet
from .test_public_reports import png


def post(c, url, data=None, files=None):
    return c.post(url, data={"csrf_token": c.csrf, **(data or {})}, files=files, follow_redirects=False)


def test_hazard_walk_through_the_forms(page_client, db) -> None:
    chem, duty = page_client("chem"), page_client("duty")
    r = post(
        chem,
        "/risk/hazards/new",
        {"title": "液氨储罐区喷淋失效", "grade": "major", "deadline": "2099-12-31", "description": "喷淋泵无法启动"},
        files={"photo": ("a.png", png(), "image/png")},
    )
    assert r.status_code == 303, r.text
    hid = int(r.headers["location"].rsplit("/", 1)[1])
    page = chem.get(f"/risk/hazards/{hid}").text
    assert "已上报" in page and "/attachments/" in page and 'data-action="confirm"' not in page
    assert post(duty, f"/risk/hazards/{hid}/confirm", {"grade": "major", "deadline": "2099-12-31"}).status_code == 303
    refused = post(chem, f"/risk/hazards/{hid}/start", {"note": "开始"})
    assert refused.status_code == 422 and "五落实" in refused.text
    assert db.get(Hazard, hid).status == "confirmed"
    r = post(
        chem,
        f"/risk/hazards/{hid}/five-assurances",
        {
            "responsibility": "总经理",
            "measures": "更换喷淋泵",
            "funds": "30000",
            "plan": "专项预案",
            "deadline": "2099-12-31",
        },
    )
    assert r.status_code == 303
    assert post(chem, f"/risk/hazards/{hid}/start", {"note": "开始整改"}).status_code == 303
    r = post(chem, f"/risk/hazards/{hid}/complete", {"note": "已更换"}, files={"photo": ("b.png", png(), "image/png")})
    assert r.status_code == 303
    for step in ("verify", "close"):
        assert post(duty, f"/risk/hazards/{hid}/{step}", {"note": "同意"}).status_code == 303
    db.expire_all()
    assert db.get(Hazard, hid).status == "closed"
    illegal = post(duty, f"/risk/hazards/{hid}/verify", {"note": "再验收"})
    assert illegal.status_code == 409 and "当前状态为“已销号”" in illegal.text


def test_bad_hazard_form_is_shown_again_with_errors(page_client) -> None:
    r = post(page_client("chem"), "/risk/hazards/new", {"title": "x", "deadline": "2001-01-01"})
    assert r.status_code == 422 and "form-error" in r.text and 'value="x"' in r.text


def test_add_point_on_enterprise_page(page_client, db) -> None:
    eid = chem_enterprise_id(db)
    c = page_client("chem")
    r = post(c, f"/risk/enterprises/{eid}/points", {"name": "新风险点", "method": "lec", "L": "6", "E": "6", "C": "15"})
    assert r.status_code == 303
    assert "新风险点" in c.get(f"/risk/enterprises/{eid}").text
    r = post(
        c, f"/risk/enterprises/{eid}/points", {"name": "矩阵点", "method": "matrix", "likelihood": "9", "severity": "2"}
    )
    assert r.status_code == 422 and "1 到 5" in r.text


def test_major_hazard_form(page_client) -> None:
    c = page_client("chem")
    r = post(
        c,
        "/risk/major-hazards",
        {"unit_type": "storage", "exposed_people": "60", "name0": "液氨", "qty0": "8", "name1": "液氯", "qty1": "3"},
    )
    assert r.status_code == 200 and 'id="assess-result"' in r.text and "四级" in r.text
    r = post(c, "/risk/major-hazards", {"unit_type": "storage", "name0": "神秘物质", "qty0": "1"})
    assert r.status_code == 422 and "神秘物质" in r.text
    r = post(
        c,
        "/risk/major-hazards",
        {
            "unit_type": "storage",
            "exposed_people": "0",
            "name0": "氢",
            "qty0": "6",
            "save": "1",
            "unit_name": "氢气瓶库",
        },
    )
    assert r.status_code == 303
    assert "氢气瓶库" in c.get("/risk/major-hazards").text


def test_import_page_lists_row_errors(page_client, db) -> None:
    c = page_client("chem")
    data = sheet(POINT_HEADER, ["91450206XXXXXXXXXX", "仓库", "储存", "LEC", 3, 6, 15, None, None])
    r = post(c, "/risk/import/points", files={"file": ("p.xlsx", data, "application/octet-stream")})
    assert r.status_code == 422 and 'id="import-errors"' in r.text and "第2行" in r.text


def test_report_lead_accepted_from_the_page(page_client, client, db) -> None:
    from .test_public_reports import form, village_code

    f = form(client)
    r = client.post("/risk/public/report", data={**f, "description": "楼道里堆满纸箱", "region_code": village_code(db)})
    code = re.search(r'id="tracking-code"[^>]*>([A-Z0-9]+)<', r.text).group(1)
    duty = page_client("duty")
    html = duty.get("/risk/reports").text
    rid = re.search(rf'data-report="{code}".*?action="/risk/reports/(\d+)"', html, re.S).group(1)
    r = post(
        duty, f"/risk/reports/{rid}", {"accept": "1", "title": "楼道堆物", "grade": "general", "deadline": "2099-01-01"}
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/risk/hazards/")
    hid = int(r.headers["location"].rsplit("/", 1)[1])
    assert db.scalar(select(Hazard.source).where(Hazard.id == hid)) == "public_report"
