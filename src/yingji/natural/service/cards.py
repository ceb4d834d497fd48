"""防灾明白卡 and 避险明白卡 of a threatened household, as .docx and PDF through the shared documents
piece (``core.documents``): the district's name as the header, the point's hazard, its monitor and
warning signal, where to go and by which route."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core import documents
from yingji.core.actor import Actor
from yingji.core.errors import invalid
from yingji.geo import service as geo_service
from yingji.natural import kinds
from yingji.natural.enums import STABILITY_LABELS
from yingji.natural.models import HazardPoint, Household
from yingji.natural.service import people

TITLES = {"prevention": "地质灾害防灾明白卡", "evacuation": "地质灾害避险明白卡"}


def _issuer(db: Session, point: HazardPoint) -> str:
    parts = point.region_path.split("/")
    names = {r.path: r.name for r in geo_service.region_infos(db=db)}
    district = names.get(parts[0], "")
    township = names.get("/".join(parts[:2]), "")
    return f"{district}{township}人民政府" if township else f"{district}人民政府"


def _rows(db: Session, actor: Actor, kind: str, point: HazardPoint, household: Household) -> list[tuple[str, str]]:
    monitors = people.monitors(db=db, actor=actor, point_id=point.id)
    watch = "；".join(f"{m.name} {m.phone}" for m in monitors) or "未落实"
    label = kinds.kinds()[point.kind].label
    common = [("户主", household.head_name), ("家庭人数", f"{household.people} 人"), ("住址", household.address),
              ("隐患点", f"{point.name}（{point.code}）"), ("灾害类型", label)]
    if kind == "prevention":
        return common + [
            ("稳定性", STABILITY_LABELS.get(point.stability, point.stability)),
            ("威胁范围", f"{point.households} 户 {point.people} 人"),
            ("监测员", watch),
            ("责任人", f"{point.responsible_name} {point.responsible_phone}".strip()),
            ("预警信号", point.warning_signal),
            ("预警信号发布人", point.responsible_name),
        ]
    return common + [
        ("预警信号", point.warning_signal),
        ("撤离路线", point.evacuation_route),
        ("安置地点", point.shelter_name or "由村（社区）统一安排"),
        ("监测员", watch),
        ("联系电话（责任人）", point.responsible_phone),
        ("注意事项", "听到预警信号立即沿撤离路线撤离，不要返回取物；险情解除前不得回家。"),
    ]


def household_card(*, db: Session, actor: Actor, point_id: int, household_id: int, kind: str,
                   fmt: str = "docx") -> tuple[str, str, bytes]:
    """(filename, media type, bytes) of one household's card of ``kind`` (prevention / evacuation)."""
    if kind not in TITLES:
        raise invalid("kind", "明白卡类型须为 prevention（防灾明白卡）或 evacuation（避险明白卡）")
    if fmt not in ("docx", "pdf"):
        raise invalid("format", "格式须为 docx 或 pdf")
    household = people.get_household(db=db, actor=actor, point_id=point_id, household_id=household_id)
    point = db.get(HazardPoint, point_id)
    title, issuer = TITLES[kind], _issuer(db, point)
    rows = _rows(db, actor, kind, point, household)
    name = f"{title}-{point.code}-{household.id}"
    if fmt == "docx":
        doc = documents.docx_document(issuer=issuer, title=title)
        documents.add_field_table(doc, rows)
        documents.add_signature(doc, f"{issuer}（发卡单位）")
        return f"{name}.docx", documents.DOCX_MEDIA_TYPE, documents.docx_bytes(doc)
    body = "<table>" + "".join(f"<tr><th>{documents.esc(k)}</th><td>{documents.esc(v or '—')}</td></tr>"
                               for k, v in rows) + "</table>"
    return f"{name}.pdf", documents.PDF_MEDIA_TYPE, documents.pdf_from_html(body, title=title, issuer=issuer)
