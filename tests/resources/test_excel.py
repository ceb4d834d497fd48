"""Excel import and export of teams, members, materials and shelters: all or nothing, with row errors."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

LABAO = "450206100000"


def _xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _upload(c, sheet: str, data: bytes):
    return c.post(f"/api/v1/resources/excel/{sheet}", files={"file": ("x.xlsx", data)})


def test_templates_have_the_chinese_headers(api) -> None:
    for sheet, first in (
        ("teams", "队伍名称*"),
        ("members", "队伍编号*"),
        ("materials", "物资编码*"),
        ("shelters", "场所名称*"),
    ):
        r = api("duty").get(f"/api/v1/resources/excel/{sheet}/template")
        assert r.status_code == 200
        assert load_workbook(io.BytesIO(r.content)).active.cell(1, 1).value == first
    assert api("duty").get("/api/v1/resources/excel/secrets/template").status_code == 404


def test_team_import_is_all_or_nothing(api) -> None:
    c = api("duty")
    before = c.get("/api/v1/resources/teams").json()["total"]
    header = ["队伍名称", "队伍类型", "消防站级别", "专业", "所属区域代码", "经度", "纬度", "联系电话"]
    bad = _xlsx(
        [
            header,
            ["导入一队", "专业救援队", "", "水域救援", LABAO, 109.35, 24.25, "13800000000"],
            ["导入二队", "消防站", "", "", LABAO, 109.35, 24.25, ""],  # no class
            ["导入三队", "飞行队", "", "", LABAO, "", "", ""],  # unknown kind
            ["导入四队", "社区响应队", "", "", LABAO, "", "", "12345"],
        ]
    )  # bad phone
    r = _upload(c, "teams", bad)
    assert r.status_code == 422
    err = r.json()["error"]
    fields = [d["field"] for d in err["details"]]
    assert any(f.startswith("第4行") for f in fields)  # parse error listed first: nothing applied
    assert c.get("/api/v1/resources/teams").json()["total"] == before
    bad = _xlsx(
        [
            header,
            ["导入一队", "专业救援队", "", "水域救援", LABAO, 109.35, 24.25, "13800000000"],
            ["导入二队", "消防站", "", "", LABAO, 109.35, 24.25, ""],
            ["导入四队", "社区响应队", "", "", LABAO, "", "", "12345"],
        ]
    )
    r = _upload(c, "teams", bad)
    assert r.status_code == 422
    fields = {d["field"].split(" ")[0] for d in r.json()["error"]["details"]}
    assert fields == {"第3行", "第4行"}
    assert c.get("/api/v1/resources/teams").json()["total"] == before  # row 2 was valid, still not imported
    good = _xlsx(
        [
            header,
            ["导入一队", "专业救援队", "", "水域救援", LABAO, 109.35, 24.25, "13800000000"],
            ["导入二队", "消防站", "二级消防站", "", LABAO, 109.35, 24.25, ""],
        ]
    )
    assert _upload(c, "teams", good).json() == {"imported": 2}
    assert c.get("/api/v1/resources/teams").json()["total"] == before + 2


def test_members_materials_shelters_import_and_export(api) -> None:
    c = api("duty")
    team = c.get("/api/v1/resources/teams", params={"kind": "professional"}).json()["items"][0]
    r = _upload(
        c,
        "members",
        _xlsx([["队伍编号", "姓名", "证书编号", "证书有效期至"], [team["id"], "导入队员", "ZS1", "2027-05-01"]]),
    )
    assert r.json() == {"imported": 1}
    r = _upload(c, "members", _xlsx([["队伍编号", "姓名"], [10**8, "无队可归"]]))
    assert r.status_code == 422 and "第2行" in r.json()["error"]["message"]
    r = _upload(
        c,
        "materials",
        _xlsx(
            [
                ["物资编码", "物资名称", "大类", "计量单位", "储备下限"],
                ["IMP01", "冲锋舟", "生命救援与生活救助", "艘", 2],
            ]
        ),
    )
    assert r.json() == {"imported": 1}
    r = _upload(
        c,
        "shelters",
        _xlsx(
            [
                ["场所名称", "场所类型", "避难场所级别", "所属区域代码", "经度", "纬度", "有效避难面积（m²）"],
                ["导入公园避难场所", "公园", "长期固定避难场所", LABAO, 109.35, 24.25, 9000],
            ]
        ),
    )
    assert r.json() == {"imported": 1}
    for sheet in ("teams", "members", "materials", "shelters"):
        x = c.get(f"/api/v1/resources/excel/{sheet}")
        assert x.status_code == 200
        ws = load_workbook(io.BytesIO(x.content)).active
        assert ws.max_row > 1
    ws = load_workbook(io.BytesIO(c.get("/api/v1/resources/excel/shelters").content)).active
    header = [cell.value for cell in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "导入公园避难场所")
    assert row[header.index("容纳人数")] == 2000  # 9000 m² ÷ 4.5
    assert _upload(c, "teams", b"not a spreadsheet").status_code == 422
    assert _upload(api("leader"), "teams", _xlsx([["队伍名称"]])).status_code == 403
