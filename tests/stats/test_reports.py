"""The statistical reports against figures computed by hand on a small data set (years 2030–2031, far from the
demo's records), drills left out, Beijing months; the files open with openpyxl and python-docx; a township
officer's report holds its own township only."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.incidents.helpers import JINDE, LABAO, report
from yingji.core.actor import SYSTEM
from yingji.incidents.report_schemas import DisasterReportCreate
from yingji.incidents.service import disaster as disaster_service
from yingji.stats import reports


def at(y, m, d, h=2) -> datetime:
    return datetime(y, m, d, h, tzinfo=UTC)


@pytest.fixture
def data(db, fixed_clock):
    fixed_clock(datetime(2032, 1, 5, 2, tzinfo=UTC))
    report(db, kind="industry_trade", occurred_at=at(2031, 3, 10), deaths=2)  # A
    report(db, kind="road_traffic", occurred_at=at(2031, 3, 20), region_code=JINDE, deaths=1)  # B
    report(db, kind="hazardous_chemicals", occurred_at=at(2031, 7, 1))  # C
    report(db, kind="industry_trade", occurred_at=at(2031, 3, 5), deaths=5, drill=True)  # a drill: never counts
    report(db, kind="industry_trade", occurred_at=at(2030, 3, 3), deaths=1)  # E, the year before
    # 17:00 UTC on 31 December is 01:00 on 1 January in Beijing: January 2031.
    report(db, kind="industry_trade", occurred_at=datetime(2030, 12, 31, 17, tzinfo=UTC), deaths=1)  # G
    flood = report(db, kind="flood", occurred_at=at(2031, 6, 15), deaths=1, direct_loss_yuan=Decimal(1_000_000))
    figures = {LABAO: {"affected_person_times": 1200, "deaths": 1, "direct_loss_10k_yuan": 150},
               JINDE: {"affected_person_times": 800, "direct_loss_10k_yuan": 50},
               "district": {"affected_person_times": 2000, "deaths": 1, "direct_loss_10k_yuan": 200}}
    disaster_service.submit(db=db, actor=SYSTEM, incident_id=flood.id,
                            data=DisasterReportCreate(kind="initial", figures=figures))
    report(db, kind="landslide", occurred_at=at(2031, 6, 20), drill=True, deaths=3)  # a drill
    report(db, kind="landslide", occurred_at=at(2030, 8, 2), direct_loss_yuan=Decimal(500_000))  # no report filed
    db.flush()


def table(r: reports.Report, title_part: str) -> reports.Table:
    return next(t for t in r.tables if title_part in t.title)


def test_yearly_safety_report_by_month_industry_and_township(db, data) -> None:
    r = reports.safety_report(db, SYSTEM, 2031)
    totals = table(r, "累计")
    assert totals.rows[0] == ["事故起数", 4, 1, "+300.0%"]  # G, A, B, C against E
    assert totals.rows[1] == ["死亡人数", 4, 1, "+300.0%"]
    months = table(r, "分月").rows
    assert months[0] == ["1月", 1, 1, 0, 0]  # G, in Beijing time
    assert months[2] == ["3月", 2, 3, 1, 1]  # A and B; E the year before (the drill of 5 March left out)
    assert months[6] == ["7月", 1, 0, 0, 0]
    assert sum(row[1] for row in months) == 4 and len(months) == 12
    industry = {row[0]: row[1:] for row in table(r, "分行业").rows}
    assert industry == {"工贸行业事故": [2, 3, 1, 1, "+200.0%"], "道路交通事故": [1, 1, 0, 0, "新增"],
                        "危险化学品事故": [1, 0, 0, 0, "—"]}
    township = {row[0]: row[1:] for row in table(r, "分镇").rows}
    assert township == {"拉堡镇": [3, 3, 1, 1, "+200.0%"], "进德镇": [1, 1, 0, 0, "新增"]}


def test_monthly_safety_report_is_the_month_and_the_year_to_its_end(db, data) -> None:
    r = reports.safety_report(db, SYSTEM, 2031, 3)
    assert r.title == "2031年3月安全生产形势分析"
    assert table(r, "累计").rows[0] == ["事故起数", 3, 1, "+200.0%"]  # January to March: G, A, B
    assert len(table(r, "分月").rows) == 3
    industry = {row[0]: row[1:] for row in table(r, "分行业").rows}
    assert industry == {"工贸行业事故": [1, 2, 1, 1, "+100.0%"], "道路交通事故": [1, 1, 0, 0, "新增"]}


def test_disaster_report_takes_the_latest_report_and_leaves_drills_out(db, data) -> None:
    r = reports.disaster_report(db, SYSTEM, 2031)
    totals = {row[0]: row[1:] for row in table(r, "合计").rows}
    assert totals["灾害起数"] == [1, 1, "+0.0%"]
    assert totals["受灾人次"] == [2000, 0, "新增"]  # the district line of the report
    assert totals["死亡失踪人数"] == [1, 0, "新增"]
    assert totals["直接经济损失（万元）"] == [Decimal("200.00"), Decimal("50.00"), "+300.0%"]  # report, not 100 万
    assert table(r, "分月").rows[5] == ["6月", 1, 2000, 1, Decimal("200.00"), 0]
    assert table(r, "分月").rows[7][5] == 0  # August 2030's landslide affected no one (no report)
    assert table(r, "分镇").rows == [["拉堡镇", 1, 2000, 1, Decimal("200.00")]]


def test_files_open_with_their_tables_and_charts(db, data) -> None:
    r = reports.safety_report(db, SYSTEM, 2031)
    wb = load_workbook(io.BytesIO(reports.as_xlsx(r)))
    sheet = wb[next(n for n in wb.sheetnames if "分行业" in n)]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["工贸行业事故"][:4] == (2, 3, 1, 1)
    assert len(sheet._charts) == 1  # a native chart
    assert all(len(wb[n]._charts) == 1 for n in wb.sheetnames if n != "说明")
    doc = Document(io.BytesIO(reports.as_docx(r, issuer="柳江区应急管理局")))
    assert doc.sections[0].header.paragraphs[0].text == "柳江区应急管理局"
    assert any("2031年安全生产形势分析" in p.text for p in doc.paragraphs)
    cells = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert ["工贸行业事故", "2", "3", "1", "1", "+200.0%"] in cells
    assert len(doc.inline_shapes) == len(r.tables)  # a PNG chart under every table
    png = reports.chart_png(table(r, "分月"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_download_and_a_township_sees_its_own_township(page_client, data) -> None:
    duty, labao = page_client("duty"), page_client("labao")
    r = duty.get("/stats/reports/safety.xlsx?year=2031")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    r = duty.get("/stats/reports/disaster.docx?year=2031&month=6")
    assert r.status_code == 200
    assert any("自然灾害情况" in p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert duty.get("/stats/reports/other.docx?year=2031").status_code == 422
    assert duty.get("/stats/reports/safety.docx?year=1999").status_code == 422
    page = labao.get("/stats/reports?kind=safety&year=2031")
    assert page.status_code == 200
    assert "拉堡镇" in page.text and "进德镇" not in page.text
    wb = load_workbook(io.BytesIO(labao.get("/stats/reports/safety.xlsx?year=2031").content))
    values = [v for ws in wb for row in ws.iter_rows(values_only=True) for v in row]
    assert "进德镇" not in values and "道路交通事故" not in values
    assert page_client("chem").get("/stats/reports/safety.xlsx?year=2031").status_code in (200, 403)
