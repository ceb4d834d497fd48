"""Excel in and out: templates with Chinese headers, all-or-nothing imports with a row-by-row error
report, the 一企一清单 and the 隐患台账 exports."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from yingji.registry.models import Enterprise
from yingji.registry.standards import uscc_check_char
from yingji.risk.models import Hazard, RiskPoint

from .helpers import chem_enterprise_id


def sheet(header: list[str], *rows: list) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(c, kind: str, data: bytes):
    return c.post(f"/api/v1/risk/import/{kind}", files={"file": (f"{kind}.xlsx", data, "application/octet-stream")})


def headers_of(content: bytes) -> list[str]:
    return [c.value for c in next(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(max_row=1))]


def test_templates_have_chinese_headers(api) -> None:
    c = api("duty")
    for kind, first in [
        ("enterprises", "企业名称*"),
        ("points", "企业统一社会信用代码"),
        ("hazards", "企业统一社会信用代码"),
    ]:
        r = c.get(f"/api/v1/risk/import/{kind}/template")
        assert r.status_code == 200 and "spreadsheetml" in r.headers["content-type"]
        assert headers_of(r.content)[0] == first
    assert "风险点名称*" in headers_of(c.get("/api/v1/risk/import/points/template").content)
    assert c.get("/api/v1/risk/import/nothing/template").status_code == 404


POINT_HEADER = [
    "企业统一社会信用代码",
    "风险点名称",
    "作业活动",
    "评价方法",
    "L（可能性）",
    "E（暴露频繁程度）",
    "C（后果）",
    "可能性L（1-5）",
    "严重性S（1-5）",
]


def test_points_import_all_or_nothing(api, db) -> None:
    uscc = db.get(Enterprise, chem_enterprise_id(db)).uscc
    before = db.scalar(select(func.count(RiskPoint.id)))
    # Cell format is checked first for every row (row 4: no name, unknown method) ...
    bad_cells = sheet(
        POINT_HEADER,
        [uscc, "装车台", "装卸", "LEC", 3, 6, 15, None, None],
        [uscc, "", "x", "矩阵法", None, None, None, 3, 4],
    )
    r = upload(api("chem"), "points", bad_cells)
    assert r.status_code == 422
    assert {d["field"] for d in r.json()["error"]["details"]} == {"第3行 风险点名称", "第3行 评价方法"}
    # ... then the content of every row: each bad row is listed, none is imported.
    bad = sheet(
        POINT_HEADER,
        [uscc, "装车台", "装卸", "LEC", 3, 6, 15, None, None],
        [uscc, "罐区", "储存", "LEC", 4, 6, 15, None, None],  # L=4 is not a standard value
        ["91450206XXXXXXXXXX", "仓库", "储存", "风险矩阵", None, None, None, 3, 4],  # unknown enterprise
        [uscc, "泵房", "输送", "风险矩阵", None, None, None, 3, 9],
    )  # S out of range
    r = upload(api("chem"), "points", bad)
    assert r.status_code == 422
    err = r.json()["error"]
    assert "整批未导入" in err["message"]
    fields = [d["field"] for d in err["details"]]
    assert any(f.startswith("第3行") and "L" in f for f in fields), fields
    assert any(f.startswith("第4行") for f in fields)
    assert any(f.startswith("第5行") for f in fields)
    assert not any(f.startswith("第2行") for f in fields)
    assert db.scalar(select(func.count(RiskPoint.id))) == before  # nothing imported

    good = sheet(
        POINT_HEADER,
        [uscc, "装车台", "装卸", "LEC", 3, 6, 15, None, None],
        [uscc, "仓库", "储存", "风险矩阵", None, None, None, 4, 4],
    )
    r = upload(api("chem"), "points", good)
    assert r.status_code == 200 and r.json() == {"imported": 2}
    levels = dict(
        db.execute(
            select(RiskPoint.name, RiskPoint.level).where(
                RiskPoint.enterprise_id == chem_enterprise_id(db), RiskPoint.name.in_(["装车台", "仓库"])
            )
        ).all()
    )
    assert levels == {"装车台": "orange", "仓库": "orange"}


def test_hazards_import_and_scope(api, db) -> None:
    mine = db.get(Enterprise, chem_enterprise_id(db)).uscc
    other = db.scalar(select(Enterprise.uscc).where(Enterprise.id != chem_enterprise_id(db)).limit(1))
    header = ["企业统一社会信用代码", "隐患名称", "隐患等级", "整改期限"]
    before = db.scalar(select(func.count(Hazard.id)))
    r = upload(
        api("chem"),
        "hazards",
        sheet(
            header,
            [mine, "灭火器过期", "一般隐患", "2099-01-31"],
            [other, "别人家的隐患", "一般隐患", "2099-01-31"],
            [mine, "期限已过", "一般隐患", "2001-01-31"],
        ),
    )
    assert r.status_code == 422
    fields = " ".join(d["field"] + d["message"] for d in r.json()["error"]["details"])
    assert "第3行" in fields and "第4行" in fields and "第2行" not in fields
    assert db.scalar(select(func.count(Hazard.id))) == before
    r = upload(
        api("chem"),
        "hazards",
        sheet(
            header, [mine, "灭火器过期", "一般隐患", "2099-01-31"], [mine, "液氨储罐区无喷淋", "重大隐患", "2099-03-31"]
        ),
    )
    assert r.status_code == 200 and r.json()["imported"] == 2
    grades = set(db.scalars(select(Hazard.grade).where(Hazard.title.in_(["灭火器过期", "液氨储罐区无喷淋"]))))
    assert grades == {"general", "major"}


def test_enterprise_import(api, db) -> None:
    body = "91450206" + "MA5L0QX0T"
    good_uscc = body + uscc_check_char(body)
    header = ["企业名称", "统一社会信用代码", "行业", "所属镇村代码", "安全负责人电话"]
    r = upload(
        api("duty"),
        "enterprises",
        sheet(
            header,
            ["柳州市测试化工有限公司", good_uscc, "危险化学品", "450206100000", "13800000000"],
            ["柳州市错误公司", "123", "不存在的行业", "450206100000", "abc"],
        ),
    )
    assert r.status_code == 422
    fields = [d["field"] for d in r.json()["error"]["details"]]
    assert all(f.startswith("第3行") for f in fields) and len(fields) >= 1
    assert db.scalar(select(Enterprise.id).where(Enterprise.uscc == good_uscc)) is None
    r = upload(
        api("duty"),
        "enterprises",
        sheet(header, ["柳州市测试化工有限公司", good_uscc, "危险化学品", "450206100000", "13800000000"]),
    )
    assert r.status_code == 200 and r.json()["imported"] == 1
    refused = upload(api("chem"), "enterprises", sheet(header, ["x", good_uscc, "危险化学品", "", ""]))
    assert refused.status_code == 403  # an enterprise account registers no enterprises


def test_not_an_xlsx_is_refused(api) -> None:
    r = upload(api("duty"), "points", b"this is not excel")
    assert r.status_code == 422 and "xlsx" in r.json()["error"]["message"]


def test_exports(api, db) -> None:
    eid = chem_enterprise_id(db)
    c = api("chem")
    r = c.get(f"/api/v1/risk/export/enterprises/{eid}/risk-list")
    assert r.status_code == 200 and "filename*=UTF-8''" in r.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("风险点", "位置") and len(rows) > 1
    assert all(row[9] in ("重大风险（红）", "较大风险（橙）", "一般风险（黄）", "低风险（蓝）") for row in rows[1:])
    r = c.get("/api/v1/risk/export/hazards")
    ledger = list(load_workbook(io.BytesIO(r.content)).worksheets[0].iter_rows(values_only=True))
    assert ledger[0][0] == "隐患编号" and len(ledger) > 1
    assert all(
        row[5] in ("已上报", "已确认", "整改中", "已整改待验收", "已验收", "已销号", "已驳回（不属隐患）", "已重新打开")
        for row in ledger[1:]
    )
    total = api("duty").get("/api/v1/risk/hazards?page_size=1").json()["total"]
    full = list(
        load_workbook(io.BytesIO(api("duty").get("/api/v1/risk/export/hazards").content)).worksheets[0].iter_rows()
    )
    assert len(full) == total + 1
