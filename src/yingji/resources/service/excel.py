"""Excel import and export of teams, members, materials and shelters: all-or-nothing with row errors."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core import excel
from yingji.core.actor import Actor, require
from yingji.core.errors import ErrorDetail, NotFound, ValidationFailed, invalid
from yingji.core.pagination import PageParams
from yingji.resources.enums import (
    FIRE_STATION_CLASS_LABELS,
    MATERIAL_CATEGORY_LABELS,
    SHELTER_KIND_LABELS,
    SHELTER_LEVEL_LABELS,
    SPECIALITY_LABELS,
    TEAM_KIND_LABELS,
    TEAM_STATUS_LABELS,
)
from yingji.resources.models import Team, TeamMember
from yingji.resources.schemas import MaterialCreate, MemberCreate, ShelterCreate, TeamCreate
from yingji.resources.service import shelters as shelter_service
from yingji.resources.service import teams as team_service
from yingji.resources.service import warehouses as warehouse_service
from yingji.resources.service.common import read_condition


def _choices(labels: dict) -> dict[str, str]:
    return {label: str(value) for value, label in labels.items()}


SHEETS: dict[str, tuple[str, list[excel.Column]]] = {
    "teams": (
        "救援队伍",
        [
            excel.Column("name", "队伍名称", required=True),
            excel.Column("kind", "队伍类型", required=True, choices=_choices(TEAM_KIND_LABELS)),
            excel.Column(
                "station_class", "消防站级别", choices=_choices(FIRE_STATION_CLASS_LABELS), help="仅消防站填写"
            ),
            excel.Column("speciality", "专业", choices=_choices(SPECIALITY_LABELS)),
            excel.Column(
                "region_code", "所属区域代码", help="区、镇（街道）或村（社区）的 12 位代码；可不填而给经纬度"
            ),
            excel.Column("enterprise_id", "所属企业编号", kind="int", help="仅企业救援队填写"),
            excel.Column("base_address", "驻地地址"),
            excel.Column("lon", "经度", kind="float"),
            excel.Column("lat", "纬度", kind="float"),
            excel.Column("contact_name", "联系人"),
            excel.Column("contact_phone", "联系电话"),
            excel.Column("status", "状态", choices=_choices(TEAM_STATUS_LABELS), help="仅导出"),
        ],
    ),
    "members": (
        "队员",
        [
            excel.Column("team_id", "队伍编号", kind="int", required=True),
            excel.Column("name", "姓名", required=True),
            excel.Column("phone", "电话"),
            excel.Column("role", "职务"),
            excel.Column("qualification", "资格"),
            excel.Column("certificate_no", "证书编号"),
            excel.Column("certificate_expiry", "证书有效期至", kind="date"),
        ],
    ),
    "materials": (
        "物资目录",
        [
            excel.Column("code", "物资编码", required=True),
            excel.Column("name", "物资名称", required=True),
            excel.Column("category", "大类", required=True, choices=_choices(MATERIAL_CATEGORY_LABELS)),
            excel.Column("subcategory", "小类"),
            excel.Column("unit", "计量单位", required=True),
            excel.Column("specification", "规格型号"),
            excel.Column("shelf_life_days", "保质期（天）", kind="int"),
            excel.Column("reorder_point", "储备下限", kind="decimal"),
        ],
    ),
    "shelters": (
        "避难场所",
        [
            excel.Column("name", "场所名称", required=True),
            excel.Column("kind", "场所类型", required=True, choices=_choices(SHELTER_KIND_LABELS)),
            excel.Column("level", "避难场所级别", required=True, choices=_choices(SHELTER_LEVEL_LABELS)),
            excel.Column("region_code", "所属区域代码"),
            excel.Column("address", "地址"),
            excel.Column("lon", "经度", kind="float", required=True),
            excel.Column("lat", "纬度", kind="float", required=True),
            excel.Column("effective_area_m2", "有效避难面积（m²）", kind="decimal", required=True),
            excel.Column("capacity", "容纳人数", kind="int", help="按有效面积和人均面积计算，仅导出"),
            excel.Column("accessible", "无障碍", kind="bool"),
            excel.Column("seismic_grade", "抗震设防烈度", kind="int"),
            excel.Column("manager", "管理人"),
            excel.Column("phone", "管理人电话"),
        ],
    ),
}
EXPORT_ONLY = {"status", "capacity"}
CREATE = {"teams": TeamCreate, "members": MemberCreate, "materials": MaterialCreate, "shelters": ShelterCreate}


def sheet(name: str) -> tuple[str, list[excel.Column]]:
    if name not in SHEETS:
        raise NotFound(f"没有名为 {name} 的表格，可选：{'、'.join(SHEETS)}")
    return SHEETS[name]


def template(name: str) -> bytes:
    title, columns = sheet(name)
    return excel.template([c for c in columns if c.key not in EXPORT_ONLY], title=title)


def _validated(model: type, values: dict[str, Any]):
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise ValidationFailed(
            "数据有误",
            details=[ErrorDetail(".".join(str(p) for p in e["loc"]) or "row", e["msg"]) for e in exc.errors()],
        ) from None


def import_sheet(*, db: Session, actor: Actor, name: str, data: bytes) -> int:
    """Imports every row or none: one ValidationFailed lists every bad row (the caller rolls back)."""
    title, columns = sheet(name)
    require(actor, "resources.catalogue" if name == "materials" else "resources.write")
    rows = excel.read(data, [c for c in columns if c.key not in EXPORT_ONLY])

    def apply(row: excel.Row) -> Any:
        values = {k: v for k, v in row.values.items() if v is not None}
        if name == "members":
            team_id = values.pop("team_id")
            return team_service.add_member(db=db, actor=actor, team_id=team_id, data=_validated(MemberCreate, values))
        model = _validated(CREATE[name], values)
        if name == "teams":
            return team_service.create_team(db=db, actor=actor, data=model)
        if name == "materials":
            return warehouse_service.create_material(db=db, actor=actor, data=model)
        return shelter_service.create_shelter(db=db, actor=actor, data=model)

    with db.begin_nested():  # rows applied before a bad one are undone with it
        done = excel.import_all(rows, apply)
    if not done:
        raise invalid("file", "表格中没有数据行")
    return len(done)


def export_sheet(*, db: Session, actor: Actor, name: str) -> bytes:
    title, columns = sheet(name)
    require(actor, "resources.read")
    if name == "teams":
        records = _all_pages(lambda page: team_service.list_teams(db=db, actor=actor, page=page))
        rows = [_as_dict(t, columns) | {"region_code": t.region_path.rsplit("/", 1)[-1]} for t in records]
    elif name == "members":
        members = db.scalars(
            select(TeamMember)
            .join(Team, Team.id == TeamMember.team_id)
            .where(read_condition(actor, Team.region_path, Team.enterprise_id))
            .order_by(TeamMember.id)
        )
        rows = [_as_dict(m, columns) for m in members]
    elif name == "materials":
        rows = [_as_dict(m, columns) for m in warehouse_service.list_materials(db=db, actor=actor)]
    else:
        records = _all_pages(lambda page: shelter_service.list_shelters(db=db, actor=actor, page=page))
        rows = [_as_dict(s, columns) | {"region_code": s.region_path.rsplit("/", 1)[-1]} for s in records]
    return excel.export(columns, rows, title=title)


def _as_dict(obj: Any, columns: list[excel.Column]) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key, None) for c in columns}


def _all_pages(fetch: Any) -> list[Any]:
    records: list[Any] = []
    number = 1
    while True:
        chunk, total = fetch(PageParams(page=number, page_size=500))
        records += chunk
        if len(records) >= total or not chunk:
            return records
        number += 1
