"""After-action report (issue 13 point 9): closed with a summary, the incident report opens as .docx with
python-docx and as PDF with pypdf, the text (Chinese included) is there, the CJK font is embedded in the
PDF, the map picture is a real PNG with the affected area drawn on it, and dispatch orders registered
through the hook are printed."""

from __future__ import annotations

import io
from datetime import timedelta

import numpy as np
import pytest
from docx import Document
from PIL import Image
from pypdf import PdfReader

from tests.incidents.helpers import LABAO_VILLAGE, T0
from tests.incidents.test_disaster_report_api import FIRST, RAIN, submit
from tests.incidents.test_impact import square
from yingji.geo import service as geo_service
from yingji.incidents.service import after_action

SUMMARY = "积水已排除，被困群众全部转移，善后移交属地。"


@pytest.fixture
def closed(api, db, fixed_clock):
    fixed_clock(T0 + timedelta(minutes=20))
    duty = api("duty")
    incident = duty.post("/api/v1/incidents", json=RAIN).json()
    url = f"/api/v1/incidents/{incident['id']}"
    lon, lat = geo_service.region_info(db=db, code=LABAO_VILLAGE).centroid
    assert duty.put(url + "/affected-area", json={"area": square(lon, lat, 0.01)}).status_code == 200
    fixed_clock(T0 + timedelta(hours=1))
    assert submit(duty, incident["id"], "initial", FIRST).status_code == 201
    fixed_clock(T0 + timedelta(hours=5))
    version = duty.get(url).json()["version"]
    r = duty.post(url + "/close", json={"version": version, "summary": SUMMARY})
    assert r.status_code == 200, r.text
    return incident


def test_the_docx_opens_and_holds_the_report(api, closed) -> None:
    r = api("duty").get(f"/api/v1/incidents/{closed['id']}/report.docx")
    assert r.status_code == 200, r.text
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert f"{closed['title']} 事件总结报告" in text and SUMMARY in text
    assert "应急管理局" in doc.sections[0].header.paragraphs[0].text
    assert "接报（值班电话）" in cells  # the timeline
    assert "灾情初报（向市级）" in cells and "全区合计" in cells  # reports made, the 灾情 table
    assert "本事件无调度指令记录" in text  # no dispatch registered
    assert len(doc.inline_shapes) == 1  # the map picture


def test_the_pdf_opens_with_the_text_and_the_font_embedded(api, closed) -> None:
    r = api("duty").get(f"/api/v1/incidents/{closed['id']}/report.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    pdf = PdfReader(io.BytesIO(r.content))
    text = "".join(page.extract_text() for page in pdf.pages)
    for words in (closed["title"], "事件总结报告", "处置经过", SUMMARY[:8], "灾情初报"):
        assert words in text.replace("\n", ""), words
    embedded = set()
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for desc in font.get("/DescendantFonts", [font]):
                d = desc.get_object().get("/FontDescriptor")
                if d and any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    embedded.add(str(d.get_object()["/FontName"]))
    assert any("CJK" in name for name in embedded), embedded


def test_the_map_shows_the_affected_area(api, closed, fixed_clock) -> None:
    duty = api("duty")
    drawn = Image.open(io.BytesIO(duty.get(f"/api/v1/incidents/{closed['id']}/map.png").content)).convert("RGB")
    assert drawn.size == (1200, 900)
    fixed_clock(T0 + timedelta(hours=5))
    other = duty.post("/api/v1/incidents", json=RAIN).json()  # the same place, no area drawn
    plain = Image.open(io.BytesIO(duty.get(f"/api/v1/incidents/{other['id']}/map.png").content)).convert("RGB")

    def orange(img: Image.Image) -> int:  # the area's fill and outline (the legend's swatch is in both)
        px = np.asarray(img, dtype=int)
        r, g, b = px[..., 0], px[..., 1], px[..., 2]
        return int(((r > 200) & (g >= 80) & (g <= 230) & (b < 190) & (r - b > 60)).sum())

    assert orange(drawn) > orange(plain) + 100


def test_orders_registered_by_dispatch_are_printed(api, closed, monkeypatch) -> None:
    monkeypatch.setattr(after_action, "_order_providers", [])
    order = ("06-01 10:30", "派出拉堡镇应急分队", "拉堡镇应急分队", "已到场")
    after_action.register_orders(lambda db, incident_id: [order])
    doc = Document(io.BytesIO(api("duty").get(f"/api/v1/incidents/{closed['id']}/report.docx").content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "派出拉堡镇应急分队" in cells


def test_who_may_have_the_report(api, closed) -> None:
    url = f"/api/v1/incidents/{closed['id']}/report.docx"
    assert api("leader").get(url).status_code == 200
    assert api("officer").get(url).status_code == 404
    assert api("liaison").get(url).status_code == 403
    assert api("chem").get(f"/api/v1/incidents/{closed['id']}/report.pdf").status_code == 404


def test_a_closed_incident_takes_no_new_area_or_report(api, db, closed) -> None:
    duty = api("duty")
    lon, lat = geo_service.region_info(db=db, code=LABAO_VILLAGE).centroid
    url = f"/api/v1/incidents/{closed['id']}"
    assert duty.put(url + "/affected-area", json={"area": square(lon, lat)}).status_code == 409
    assert submit(duty, closed["id"], "follow_up", FIRST).status_code == 409
