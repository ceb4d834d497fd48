"""core/excel.py: templates, all-or-nothing reads with every bad cell named by row and column, exports."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from yingji.core import excel
from yingji.core.errors import Conflict, ValidationFailed, invalid

COLUMNS = [
    excel.Column("name", "名称", required=True),
    excel.Column("people", "人数", kind="int"),
    excel.Column("area", "面积", kind="decimal"),
    excel.Column("open", "是否开放", kind="bool"),
    excel.Column("built", "建成日期", kind="date"),
    excel.Column("industry", "行业", choices={"危险化学品": "hazardous_chemicals", "建筑施工": "construction"}),
]


def xlsx(*rows: list) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEADER = ["名称*", "人数", "面积", "是否开放", "建成日期", "行业"]


def test_template_has_starred_required_headers_an_example_and_notes() -> None:
    wb = load_workbook(io.BytesIO(excel.template(COLUMNS, title="避难场所", example={"name": "示例", "people": 3})))
    ws = wb["避难场所"]
    assert [c.value for c in ws[1]] == HEADER
    assert [c.value for c in ws[2]][:2] == ["示例", 3]
    notes = [[c.value for c in r] for r in wb["填写说明"].iter_rows()]
    assert notes[0] == ["列名", "必填", "类型", "可选值", "说明"]
    assert notes[1][:3] == ["名称", "是", "文本"] and notes[6][3] == "危险化学品、建筑施工"


def test_read_converts_every_kind_and_skips_blank_rows() -> None:
    data = xlsx(
        HEADER,
        [" 拉堡小学 ", 120, "350.5", "是", "2020-09-01", "危险化学品"],
        [None, None, None, None, None, None],
        ["进德广场", 80.0, 12, "否", datetime(2019, 5, 1), "construction"],
    )
    rows = excel.read(data, COLUMNS)
    assert [r.number for r in rows] == [2, 4]
    assert rows[0].values == {
        "name": "拉堡小学",
        "people": 120,
        "area": Decimal("350.5"),
        "open": True,
        "built": date(2020, 9, 1),
        "industry": "hazardous_chemicals",
    }
    assert rows[1].values["people"] == 80 and rows[1].values["open"] is False
    assert rows[1].values["built"] == date(2019, 5, 1) and rows[1].values["industry"] == "construction"


def test_read_names_every_bad_cell_and_returns_nothing() -> None:
    data = xlsx(
        HEADER,
        ["", 1.5, "abc", "也许", "6月1日", "采矿"],
        ["好的一行", 3, 1, "是", "2020-01-01", "建筑施工"],
        ["第四行", True, None, None, None, None],
    )
    with pytest.raises(ValidationFailed) as exc:
        excel.read(data, COLUMNS)
    got = [(d.field, d.message) for d in exc.value.details]
    assert got == [
        ("第2行 名称", "必填"),
        ("第2行 人数", "须为整数"),
        ("第2行 面积", "须为数字"),
        ("第2行 是否开放", "须为“是”或“否”"),
        ("第2行 建成日期", "日期格式应为 2026-06-01"),
        ("第2行 行业", "取值“采矿”无效，可选：危险化学品、建筑施工"),
        ("第4行 人数", "须为整数"),
    ]
    assert exc.value.message == "有 2 行数据有误，整批未导入：第2行、第4行"


def test_read_refuses_a_missing_required_column_and_a_file_that_is_not_xlsx() -> None:
    with pytest.raises(ValidationFailed) as exc:
        excel.read(xlsx(["人数", "面积"], [1, 2]), COLUMNS)
    assert [(d.field, d.message) for d in exc.value.details] == [("header", "缺少列“名称”")]
    with pytest.raises(ValidationFailed) as exc:
        excel.read(b"name,people\nx,1\n", COLUMNS)
    assert exc.value.details[0].field == "file" and "xlsx" in exc.value.message


def test_import_all_applies_every_row_or_reports_every_failure() -> None:
    rows = excel.read(xlsx(HEADER, ["甲", 1], ["乙", 2], ["丙", 3]), COLUMNS)
    assert excel.import_all(rows, lambda r: r.values["people"] * 10) == [10, 20, 30]

    def apply(r):
        if r.values["name"] == "乙":
            raise invalid("people", "人数超过容量")
        if r.values["name"] == "丙":
            raise Conflict("名称重复")
        return r.values["name"]

    with pytest.raises(ValidationFailed) as exc:
        excel.import_all(rows, apply)
    assert [(d.field, d.message) for d in exc.value.details] == [
        ("第3行 people", "人数超过容量"),
        ("第4行", "名称重复"),
    ]


def test_export_writes_labels_choices_booleans_and_naive_times() -> None:
    data = excel.export(
        COLUMNS + [excel.Column("at", "时间", kind="datetime")],
        [
            {
                "name": "甲",
                "people": 2,
                "area": Decimal("1.5"),
                "open": True,
                "industry": "construction",
                "at": datetime(2026, 6, 1, 2, 0, tzinfo=UTC),
            }
        ],
        title="导出",
    )
    ws = load_workbook(io.BytesIO(data))["导出"]
    assert [c.value for c in ws[1]] == ["名称", "人数", "面积", "是否开放", "建成日期", "行业", "时间"]
    assert [c.value for c in ws[2]] == ["甲", 2, 1.5, "是", None, "建筑施工", datetime(2026, 6, 1, 2, 0)]
