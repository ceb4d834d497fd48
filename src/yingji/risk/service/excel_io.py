"""Excel in and out: templates with Chinese headers, all-or-nothing imports of enterprises, risk points
and hazards with a row-by-row error report, and the exports 一企一清单 and 隐患台账."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from yingji.core import excel
from yingji.core.actor import Actor, require
from yingji.core.clock import LOCAL_TZ, to_local
from yingji.core.errors import ErrorDetail, NotFound, ValidationFailed, invalid
from yingji.core.pagination import PageParams
from yingji.registry import service as registry_service
from yingji.registry.schemas import EnterpriseCreate
from yingji.registry.service import INDUSTRY_LABELS
from yingji.risk.enums import (
    HAZARD_GRADE_LABELS,
    HAZARD_SOURCE_LABELS,
    HAZARD_STATUS_LABELS,
    LEVEL_LABELS,
    METHOD_LABELS,
)
from yingji.risk.schemas import HazardCreate, RiskPointCreate
from yingji.risk.service import hazards as hazard_service
from yingji.risk.service import points as point_service
from yingji.risk.service.common import enterprise_in_scope

C = excel.Column
ENTERPRISE_COLUMNS = [
    C("name", "企业名称", required=True),
    C("uscc", "统一社会信用代码", required=True),
    C("industry", "行业", required=True, choices={v: k.value for k, v in INDUSTRY_LABELS.items()}),
    C("region_code", "所属镇村代码", help="12 位区划代码；不填则按经纬度定位"),
    C("address", "地址"),
    C("lon", "经度", kind="float"),
    C("lat", "纬度", kind="float"),
    C("legal_representative", "法定代表人"),
    C("safety_contact", "安全负责人"),
    C("safety_phone", "安全负责人电话"),
    C("employees", "从业人数", kind="int"),
]
POINT_COLUMNS = [
    C("uscc", "企业统一社会信用代码", help="属于企业的风险点填写；公共场所不填，改填场所名称和镇村代码"),
    C("place_name", "场所名称"),
    C("region_code", "所属镇村代码"),
    C("name", "风险点名称", required=True),
    C("location", "所在位置"),
    C("activity", "作业活动"),
    C("hazards", "危险因素"),
    C("controls", "管控措施"),
    C("responsible_person", "责任人"),
    C("responsible_phone", "责任人电话"),
    C("method", "评价方法", required=True, choices={"LEC": "lec", "风险矩阵": "matrix"}),
    C("L", "L（可能性）", kind="decimal", help="LEC 法：0.1 0.2 0.5 1 3 6 10"),
    C("E", "E（暴露频繁程度）", kind="decimal", help="LEC 法：0.5 1 2 3 6 10"),
    C("C", "C（后果）", kind="decimal", help="LEC 法：1 3 7 15 40 100"),
    C("likelihood", "可能性L（1-5）", kind="int", help="风险矩阵法"),
    C("severity", "严重性S（1-5）", kind="int", help="风险矩阵法"),
    C("lon", "经度", kind="float"),
    C("lat", "纬度", kind="float"),
]
HAZARD_COLUMNS = [
    C("uscc", "企业统一社会信用代码", help="企业隐患填写；公共场所不填，改填场所和镇村代码"),
    C("place", "场所或位置"),
    C("region_code", "所属镇村代码"),
    C("title", "隐患名称", required=True),
    C("description", "隐患描述"),
    C("grade", "隐患等级", required=True, choices={v: k.value for k, v in HAZARD_GRADE_LABELS.items()}),
    C("source", "发现途径", choices={HAZARD_SOURCE_LABELS[k]: k.value for k in list(HAZARD_SOURCE_LABELS)[:3]}),
    C("deadline", "整改期限", kind="date"),
    C("responsible_person", "整改责任人"),
    C("responsible_phone", "责任人电话"),
]
KINDS = {
    "enterprises": ("企业", ENTERPRISE_COLUMNS),
    "points": ("风险点", POINT_COLUMNS),
    "hazards": ("隐患", HAZARD_COLUMNS),
}
EXAMPLES = {
    "enterprises": {
        "name": "柳州市示例化工有限公司",
        "uscc": "91450206MA5L000000",
        "industry": "危险化学品",
        "region_code": "450206100000",
        "safety_contact": "张三",
        "safety_phone": "13800000000",
    },
    "points": {
        "uscc": "91450206MA5L000000",
        "name": "液氨储罐区",
        "location": "厂区东侧",
        "activity": "液氨装卸",
        "hazards": "泄漏、中毒、爆炸",
        "controls": "气体检测报警、喷淋、应急演练",
        "method": "LEC",
        "L": 3,
        "E": 6,
        "C": 15,
    },
    "hazards": {
        "uscc": "91450206MA5L000000",
        "title": "储罐区可燃气体报警器失效",
        "grade": "一般隐患",
        "source": "企业自查",
        "deadline": "2026-12-31",
    },
}


def template(kind: str) -> tuple[str, bytes]:
    if kind not in KINDS:
        raise NotFound("没有这种导入模板")
    title, columns = KINDS[kind]
    return f"{title}导入模板.xlsx", excel.template(columns, title=title, example=EXAMPLES[kind])


def _enterprise_by_uscc(db: Session, actor: Actor, uscc: str) -> int:
    rows, _ = registry_service.list_enterprises(db=db, actor=actor, page=PageParams(page=1, page_size=1), q=uscc)
    if not rows or rows[0].uscc != uscc.strip().upper():
        raise invalid("企业统一社会信用代码", f"{uscc} 未登记或不在本辖区")
    return rows[0].id


def _pydantic(model: type, values: dict[str, Any], labels: dict[str, str]) -> Any:
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        details = []
        for e in exc.errors():
            key = str(e["loc"][0]) if e["loc"] else ""
            details.append(ErrorDetail(labels.get(key, key), str(e.get("msg", "")).removeprefix("Value error, ")))
        raise ValidationFailed("行数据有误", details=details) from None


def _end_of_day(value: Any) -> datetime | None:
    if value is None:
        return None
    return datetime.combine(value, time(23, 59), tzinfo=LOCAL_TZ).astimezone(UTC)


def import_rows(*, db: Session, actor: Actor, kind: str, data: bytes) -> int:
    """Imports every row or none: a bad row raises one ValidationFailed listing every bad row."""
    if kind not in KINDS:
        raise NotFound("没有这种导入")
    require(
        actor, "registry.write" if kind == "enterprises" else "risk.write" if kind == "points" else "risk.hazard.report"
    )
    title, columns = KINDS[kind]
    labels = {c.key: c.label for c in columns}
    rows = excel.read(data, columns)
    if not rows:
        raise ValidationFailed("表中没有数据行", details=[ErrorDetail("file", "没有数据")])

    def apply(row: excel.Row) -> Any:
        v = {k: val for k, val in row.values.items() if val is not None}
        if kind == "enterprises":
            return registry_service.create_enterprise(db=db, actor=actor, data=_pydantic(EnterpriseCreate, v, labels))
        enterprise_id = _enterprise_by_uscc(db, actor, v.pop("uscc")) if v.get("uscc") else None
        if kind == "points":
            method = v.pop("method")
            keys = ("L", "E", "C") if method == "lec" else ("likelihood", "severity")
            grading = {
                "method": method,
                **{k: v.pop(k, None) for k in ("L", "E", "C", "likelihood", "severity") if k in keys},
            }
            data_ = _pydantic(RiskPointCreate, {**v, "enterprise_id": enterprise_id, "grading": grading}, labels)
            try:
                return point_service.create_point(db=db, actor=actor, data=data_)
            except ValidationFailed as exc:
                raise ValidationFailed(
                    exc.message, details=[ErrorDetail(labels.get(d.field, d.field), d.message) for d in exc.details]
                ) from None
        v["deadline"] = _end_of_day(v.get("deadline"))
        data_ = _pydantic(HazardCreate, {**v, "enterprise_id": enterprise_id}, labels)
        return hazard_service.create_hazard(db=db, actor=actor, data=data_)

    return len(excel.import_all(rows, apply))


# --- exports -------------------------------------------------------------------------------------

LIST_COLUMNS = [
    C("name", "风险点"),
    C("location", "位置"),
    C("activity", "作业活动"),
    C("hazards", "危险因素"),
    C("controls", "管控措施"),
    C("responsible_person", "责任人"),
    C("responsible_phone", "电话"),
    C("method", "评价方法", choices={v: k.value for k, v in METHOD_LABELS.items()}),
    C("score", "分值", kind="decimal"),
    C("level", "风险等级", choices={v: k.value for k, v in LEVEL_LABELS.items()}),
    C("reason", "分级依据"),
]
LEDGER_COLUMNS = [
    C("code", "隐患编号"),
    C("place", "单位或场所"),
    C("title", "隐患名称"),
    C("grade", "等级", choices={v: k.value for k, v in HAZARD_GRADE_LABELS.items()}),
    C("source", "发现途径", choices={v: k.value for k, v in HAZARD_SOURCE_LABELS.items()}),
    C("status", "状态", choices={v: k.value for k, v in HAZARD_STATUS_LABELS.items()}),
    C("found_at", "发现时间", kind="datetime"),
    C("deadline", "整改期限", kind="datetime"),
    C("overdue", "是否逾期", kind="bool"),
    C("responsible_person", "整改责任人"),
    C("fa_funds", "治理资金（元）"),
    C("supervising_unit", "挂牌督办单位"),
    C("closed_at", "销号时间", kind="datetime"),
]


def export_risk_list(*, db: Session, actor: Actor, enterprise_id: int) -> tuple[str, bytes]:
    """一企一清单: the enterprise's risk points, worst first."""
    enterprise = enterprise_in_scope(db, actor, enterprise_id)
    points, _ = point_service.list_points(
        db=db, actor=actor, page=PageParams(page=1, page_size=500), enterprise_id=enterprise_id
    )
    rows = [{c.key: getattr(p, c.key) for c in LIST_COLUMNS} for p in points]
    return f"{enterprise.name}-风险清单.xlsx", excel.export(LIST_COLUMNS, rows, title="一企一清单")


def export_ledger(*, db: Session, actor: Actor, **filters: Any) -> tuple[str, bytes]:
    """隐患台账: every hazard in scope matching the filters, in local time."""
    out, page = [], 1
    while True:
        rows, total = hazard_service.list_hazards(
            db=db, actor=actor, page=PageParams(page=page, page_size=500), **filters
        )
        for h in rows:
            d = {c.key: getattr(h, c.key, None) for c in LEDGER_COLUMNS}
            d["overdue"] = hazard_service.is_overdue(h)
            for k in ("found_at", "deadline", "closed_at"):
                d[k] = to_local(d[k])
            out.append(d)
        if page * 500 >= total:
            break
        page += 1
    return "隐患台账.xlsx", excel.export(LEDGER_COLUMNS, out, title="隐患台账")
