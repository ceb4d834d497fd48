"""The hazard-point register as an Excel sheet: template, all-or-nothing import (every bad row named by
its number and column, nothing imported) and export."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from yingji.core import excel
from yingji.core.actor import Actor, require
from yingji.core.errors import ErrorDetail, ValidationFailed
from yingji.natural import kinds
from yingji.natural.enums import SCALE_LABELS, STABILITY_LABELS, STATUS_LABELS
from yingji.natural.schemas import PointCreate
from yingji.natural.service import points

TITLE = "隐患点"
FIELD_LABELS = {
    "code": "编号", "name": "名称", "kind": "类型", "region_code": "村（社区）代码", "lon": "经度", "lat": "纬度",
    "scale": "规模", "stability": "稳定性", "households": "威胁户数", "people": "威胁人数",
    "property_yuan": "威胁财产（元）", "fire_danger_level": "森林火险等级", "status": "状态",
    "responsible_name": "责任人", "responsible_phone": "责任人电话", "warning_signal": "预警信号",
    "evacuation_route": "撤离路线", "note": "备注",
}
EXPORT_ONLY = {"danger_grade"}


def columns() -> list[excel.Column]:
    def inv(labels: dict[str, str]) -> dict[str, str]:
        return {label: key for key, label in labels.items()}

    L = FIELD_LABELS
    return [
        excel.Column("code", L["code"], help="留空则自动编号"),
        excel.Column("name", L["name"], required=True),
        excel.Column("kind", L["kind"], required=True, choices=inv(kinds.kind_labels())),
        excel.Column("region_code", L["region_code"], help="留空则按经纬度确定所在村（社区）"),
        excel.Column("lon", L["lon"], "float", required=True, help="WGS84 经度"),
        excel.Column("lat", L["lat"], "float", required=True, help="WGS84 纬度"),
        excel.Column("scale", L["scale"], choices=inv(SCALE_LABELS)),
        excel.Column("stability", L["stability"], choices=inv(STABILITY_LABELS)),
        excel.Column("households", L["households"], "int"),
        excel.Column("people", L["people"], "int"),
        excel.Column("property_yuan", L["property_yuan"], "decimal"),
        excel.Column("fire_danger_level", L["fire_danger_level"], "int", help="1–5，仅森林火险区"),
        excel.Column("status", L["status"], choices=inv(STATUS_LABELS)),
        excel.Column("responsible_name", L["responsible_name"]),
        excel.Column("responsible_phone", L["responsible_phone"]),
        excel.Column("warning_signal", L["warning_signal"]),
        excel.Column("evacuation_route", L["evacuation_route"]),
        excel.Column("note", L["note"]),
        excel.Column("danger_grade", "险情等级", help="导出时按需搬迁转移人数或潜在经济损失计算，导入时不读"),
    ]


def template() -> bytes:
    example = {"name": "示例村后山滑坡", "kind": "滑坡", "lon": 109.33, "lat": 24.25, "scale": "小型",
               "stability": "不稳定", "households": 12, "people": 46, "property_yuan": 1800000, "status": "监测中"}
    return excel.template(columns(), title=TITLE, example=example)


def _validated(values: dict[str, Any]) -> PointCreate:
    try:
        return PointCreate.model_validate(values)
    except ValidationError as exc:
        raise ValidationFailed("数据有误", details=[
            ErrorDetail(FIELD_LABELS.get(str(e["loc"][0]), str(e["loc"][0])) if e["loc"] else "row", e["msg"])
            for e in exc.errors()]) from None


def import_points(*, db: Session, actor: Actor, data: bytes) -> int:
    """Imports every row or none: one ValidationFailed lists every bad row and nothing stays written."""
    require(actor, "natural.write")
    rows = excel.read(data, [c for c in columns() if c.key not in EXPORT_ONLY])

    def apply(row: excel.Row) -> Any:
        values = {k: v for k, v in row.values.items() if v is not None}
        try:
            return points.create_point(db=db, actor=actor, data=_validated(values))
        except ValidationFailed as exc:  # name the column as the sheet heads it
            raise ValidationFailed(exc.message, details=[
                ErrorDetail(FIELD_LABELS.get(d.field, d.field), d.message) for d in exc.details]) from None

    savepoint = db.begin_nested()  # a failed import leaves nothing behind, even in a longer transaction
    try:
        done = excel.import_all(rows, apply)
    except Exception:
        savepoint.rollback()
        raise
    savepoint.commit()
    return len(done)


def export_points(*, db: Session, actor: Actor, **filters: Any) -> bytes:
    rows = [{c: getattr(p, c) for c in (*FIELD_LABELS, "danger_grade") if c != "region_code"}
            | {"region_code": p.village_code} for p in points.all_points(db=db, actor=actor, **filters)]
    return excel.export(columns(), rows, title=TITLE)
