"""The register in Excel (issue 16 point 1): the template's sheet imports every row or none; a bad row is
named by its row number and column, and nothing is imported; the export carries the computed grade."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook
from tests.natural.helpers import village

from yingji.core.excel import XLSX_MIME
from yingji.natural.service.excel import columns

HEADER = [c.label for c in columns() if c.key != "danger_grade"]


def sheet(rows: list[dict]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append([r.get(h) for h in HEADER])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _row(v, **extra):
    lon, lat = v.centroid
    return {"名称": "导入测试滑坡", "类型": "滑坡", "村（社区）代码": v.code, "经度": lon, "纬度": lat, "威胁人数": 12,
            **extra}


def _upload(c, data: bytes):
    return c.post("/api/v1/natural/points/import",
                  files={"file": ("points.xlsx", data, XLSX_MIME)})


def _total(c) -> int:
    return c.get("/api/v1/natural/points?page_size=1").json()["total"]


def test_a_good_sheet_imports_every_row_and_exports_with_grades(api, db) -> None:
    v = village(db)
    c = api("duty")
    before = _total(c)
    r = _upload(c, sheet([_row(v, 编号="T-XLS-1"), _row(v, 编号="T-XLS-2", 名称="导入测试崩塌", 类型="崩塌",
                                                  威胁人数=600, 稳定性="不稳定")]))
    assert r.status_code == 200, r.text
    assert r.json() == {"imported": 2} and _total(c) == before + 2
    [p] = c.get("/api/v1/natural/points?q=T-XLS-2").json()["items"]
    assert (p["kind"], p["people"], p["stability"], p["danger_grade"]) == ("collapse", 600, "unstable", "II")
    wb = load_workbook(io.BytesIO(c.get("/api/v1/natural/points/export.xlsx").content))
    ws = wb.active
    header = [cell.value for cell in ws[1]]
    rows = [dict(zip(header, row, strict=False)) for row in ws.iter_rows(min_row=2, values_only=True)]
    mine = next(r for r in rows if r["编号"] == "T-XLS-2")
    assert (mine["类型"], mine["险情等级"], mine["威胁人数"]) == ("崩塌", "II", 600)


def test_a_bad_row_is_named_and_nothing_is_imported(api, db) -> None:
    v = village(db)
    c = api("duty")
    before = _total(c)
    # A cell that cannot be read (an unknown kind): found before anything is written.
    r = _upload(c, sheet([_row(v, 编号="T-BAD-1"), _row(v, 编号="T-BAD-2", 类型="火山")]))
    assert r.status_code == 422, r.text
    assert [d["field"] for d in r.json()["error"]["details"]] == ["第3行 类型"]
    # A row refused while importing (a place outside the district) after a good row was written: that good
    # row is taken back too.
    r = _upload(c, sheet([_row(v, 编号="T-BAD-3"), _row(v, 编号="T-BAD-4", 经度=100.0, 纬度=30.0,
                                                  **{"村（社区）代码": None})]))
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert [d["field"] for d in err["details"]] == ["第3行 经度"] and "第3行" in err["message"]
    assert _total(c) == before
    assert c.get("/api/v1/natural/points?q=T-BAD-").json()["total"] == 0


def test_a_file_that_is_not_excel_is_refused_cleanly(api) -> None:
    r = _upload(api("duty"), b"not a workbook")
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "file"


def test_the_page_import_reports_the_bad_row(page_client, db) -> None:
    v = village(db)
    c = page_client("duty")
    r = c.post("/natural/import", data={"csrf_token": c.csrf},
               files={"file": ("p.xlsx", sheet([_row(v, 类型="火山")]), "application/octet-stream")})
    assert r.status_code == 422 and "第2行 类型" in r.text


def test_the_service_import_leaves_nothing_behind_inside_a_longer_transaction(db) -> None:
    import pytest

    from yingji.core.actor import SYSTEM
    from yingji.core.errors import ValidationFailed
    from yingji.core.pagination import PageParams
    from yingji.natural.service import excel, points

    v = village(db)
    _, before = points.list_points(db=db, actor=SYSTEM, page=PageParams(page_size=1))
    with pytest.raises(ValidationFailed):
        excel.import_points(db=db, actor=SYSTEM, data=sheet([_row(v), _row(v, 经度=100.0, 纬度=30.0,
                                                                           **{"村（社区）代码": None})]))
    assert points.list_points(db=db, actor=SYSTEM, page=PageParams(page_size=1))[1] == before
