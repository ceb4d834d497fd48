"""The incident page's report part: the affected area pasted as GeoJSON shows the impact and the needs; the
灾情报告 form submits a report per township (an inconsistent one shows the field at fault and keeps what
was typed); closing with a summary offers the .docx and PDF."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.incidents.helpers import JINDE, LABAO, LABAO_VILLAGE, T0
from tests.incidents.test_disaster_report_api import RAIN
from tests.incidents.test_impact import square
from yingji.geo import service as geo_service


def _rain(c) -> int:
    r = c.post("/api/v1/incidents", json=RAIN, headers={"X-CSRF-Token": c.csrf})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_affected_area_form_shows_the_impact(page_client, db, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(minutes=20))
    c = page_client("duty")
    incident = _rain(c)
    lon, lat = geo_service.region_info(db=db, code=LABAO_VILLAGE).centroid
    r = c.post(f"/incidents/{incident}/affected-area",
               data={"area": json.dumps(square(lon, lat)), "csrf_token": c.csrf}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = c.get(f"/incidents/{incident}").text
    assert 'id="impact-summary"' in page and 'data-key="drinking_water"' in page and "估算人口" in page
    bad = c.post(f"/incidents/{incident}/affected-area", data={"area": "{not json", "csrf_token": c.csrf})
    assert bad.status_code == 422 and "GeoJSON" in bad.text and "{not json" in bad.text


def test_disaster_report_form_submits_and_names_the_cell_at_fault(page_client, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(minutes=20))
    c = page_client("duty")
    incident = _rain(c)
    page = c.get(f"/incidents/{incident}").text
    assert 'id="disaster-report-form"' in page and f'name="f.{LABAO}.deaths"' in page
    form = {"kind": "initial", "csrf_token": c.csrf, f"f.{LABAO}.affected_person_times": "100",
            f"f.{JINDE}.affected_person_times": "50", "f.district.affected_person_times": "140"}
    r = c.post(f"/incidents/{incident}/disaster-reports", data=form)
    assert r.status_code == 422
    assert 'title="受灾人口（人次）各镇（街道）合计 150 与全区 140 不一致"' in r.text
    assert 'value="140"' in r.text  # what was typed stays
    form["f.district.affected_person_times"] = "150"
    r = c.post(f"/incidents/{incident}/disaster-reports", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = c.get(f"/incidents/{incident}").text
    assert "/xlsx" in page and "按时" in page


def test_close_with_summary_offers_the_report(page_client, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(minutes=20))
    c = page_client("duty")
    incident = _rain(c)
    version = c.get(f"/api/v1/incidents/{incident}").json()["version"]
    empty = c.post(f"/incidents/{incident}/close", data={"version": str(version), "summary": " ", "csrf_token": c.csrf})
    assert empty.status_code == 422
    r = c.post(f"/incidents/{incident}/close", data={"version": str(version), "summary": "处置完毕",
                                                    "csrf_token": c.csrf}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = c.get(f"/incidents/{incident}").text
    assert "处置完毕" in page and f"/api/v1/incidents/{incident}/report.pdf" in page
    assert 'id="close-form"' not in page
    assert c.get(f"/api/v1/incidents/{incident}/report.docx").status_code == 200  # the session cookie suffices
