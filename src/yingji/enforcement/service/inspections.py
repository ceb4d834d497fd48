"""On-site inspections (现场检查): started under a published item by two or more inspectors, the checklist
answered line by line, findings recorded — each becomes a hidden hazard of the dual-prevention capability
through its service — and the numbered documents issued in their order: a 现场检查记录 first, a
责令限期整改指令书 only after it, a 整改复查意见书 only after an order (cn-rules §11.2, §11.6).

Phones in the field sync when back online: the inspection and each finding carry a ``client_key`` made on
the phone, so a sync retried on a bad line returns what the first one made instead of doubling it."""

from __future__ import annotations

from datetime import datetime

from docx.shared import Cm
from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core import documents, files
from yingji.core.actor import Actor, in_scope, require
from yingji.core.clock import to_local, utcnow
from yingji.core.errors import Conflict, NotFound, PermissionDenied, invalid
from yingji.enforcement.models import (
    ChecklistEntry,
    Finding,
    Inspection,
    InspectionAttachment,
    InspectionDocument,
    Inspector,
)
from yingji.enforcement.schemas import DocumentCreate, FindingCreate, InspectionCreate
from yingji.enforcement.service.common import is_inspector, local_today
from yingji.enforcement.service.items import ensure_inspectable
from yingji.enforcement.service.roster import inspector_of_user
from yingji.geo import service as geo_service
from yingji.registry import service as registry_service
from yingji.risk import service as risk_service
from yingji.risk.schemas import HazardCreate

DOCUMENT_TITLES = {"site_record": "现场检查记录", "rectification_order": "责令限期整改指令书",
                   "review_opinion": "整改复查意见书"}
DOCUMENT_CODES = {"site_record": "现记", "rectification_order": "责改", "review_opinion": "复查"}
# What a document needs before it (cn-rules §11.2: 整改复查意见书 needs an approved 责令整改 document).
DEPENDS_ON = {"rectification_order": "site_record", "review_opinion": "rectification_order"}


def _visible(db: Session, actor: Actor, row: Inspection) -> bool:
    if is_inspector(actor):
        me = inspector_of_user(db, actor.id)
        return me is not None and me.id in (row.inspector_ids or [])
    return in_scope(actor, region_path=row.region_path, enterprise_id=row.enterprise_id)


def get_inspection(*, db: Session, actor: Actor, inspection_id: int) -> Inspection:
    require(actor, "enforcement.read")
    row = db.get(Inspection, inspection_id)
    if row is None or not _visible(db, actor, row):
        raise NotFound("检查记录不存在")
    return row


def list_inspections(*, db: Session, actor: Actor) -> list[Inspection]:
    require(actor, "enforcement.read")
    rows = db.scalars(select(Inspection).order_by(Inspection.id.desc()).limit(2000)).all()
    return [r for r in rows if _visible(db, actor, r)]


def _writable(db: Session, actor: Actor, inspection_id: int) -> Inspection:
    row = get_inspection(db=db, actor=actor, inspection_id=inspection_id)
    require(actor, "enforcement.inspections.write")
    return row


def start_inspection(*, db: Session, actor: Actor, data: InspectionCreate) -> Inspection:
    require(actor, "enforcement.inspections.write")
    same = db.scalar(select(Inspection).where(Inspection.client_key == data.client_key))
    if same is not None:
        return get_inspection(db=db, actor=actor, inspection_id=same.id)  # a retried sync
    ensure_inspectable(db, data.item_id)
    if len(set(data.inspector_ids)) < 2:
        raise invalid("inspector_ids", "现场检查须有两名以上执法人员")
    known = set(db.scalars(select(Inspector.id).where(Inspector.id.in_(data.inspector_ids))))
    if known != set(data.inspector_ids):
        raise invalid("inspector_ids", f"不在执法人员名录中：{sorted(set(data.inspector_ids) - known)}")
    if is_inspector(actor):
        me = inspector_of_user(db, actor.id)
        if me is None or me.id not in data.inspector_ids:
            raise PermissionDenied("执法人员只能登记本人参加的检查")
    e = registry_service.get_enterprise(db=db, actor=actor, enterprise_id=data.enterprise_id)
    row = Inspection(client_key=data.client_key, item_id=data.item_id, draw_id=data.draw_id, enterprise_id=e.id,
                     region_path=e.region_path, inspector_ids=sorted(set(data.inspector_ids)), results={},
                     started_at=data.started_at or utcnow())
    db.add(row)
    db.flush()
    return row


def answer_checklist(*, db: Session, actor: Actor, inspection_id: int, results: dict[str, str]) -> Inspection:
    row = _writable(db, actor, inspection_id)
    e = registry_service.enterprise_info(db=db, enterprise_id=row.enterprise_id)
    numbers = set(db.scalars(select(ChecklistEntry.number).where(ChecklistEntry.industry == e.industry)))
    for number, answer in results.items():
        if number not in numbers:
            raise invalid(f"results.{number}", "该行业检查表中没有这一项")
        if answer not in ("ok", "finding", "na"):
            raise invalid(f"results.{number}", "应为 ok、finding 或 na")
    row.results = {**row.results, **results}
    db.flush()
    return row


def add_finding(*, db: Session, actor: Actor, inspection_id: int, data: FindingCreate) -> Finding:
    """A finding, and its hidden hazard in the risk capability; the same ``client_key`` twice is one finding."""
    same = db.scalar(select(Finding).where(Finding.client_key == data.client_key))
    if same is not None:
        if same.inspection_id != inspection_id:
            raise Conflict("该同步标识已用于另一检查")
        get_inspection(db=db, actor=actor, inspection_id=inspection_id)
        return same
    row = _writable(db, actor, inspection_id)
    hazard = risk_service.create_hazard(db=db, actor=actor, data=HazardCreate(
        enterprise_id=row.enterprise_id, title=data.description[:200] if len(data.description) >= 2 else "检查发现隐患",
        description=data.description, grade="major" if data.major else "general", source="inspection",
        lon=data.lon, lat=data.lat))
    finding = Finding(inspection_id=row.id, client_key=data.client_key, checklist_number=data.checklist_number,
                      description=data.description, major=data.major, lon=data.lon, lat=data.lat,
                      hazard_id=hazard.id, created_at=utcnow())
    db.add(finding)
    db.flush()
    return finding


def findings(db: Session, inspection: Inspection) -> list[Finding]:
    return list(db.scalars(select(Finding).where(Finding.inspection_id == inspection.id).order_by(Finding.id)))


ATTACHMENT_KINDS = ("photo", "inspector_signature", "enterprise_signature")
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}


def add_attachment(*, db: Session, actor: Actor, inspection_id: int, client_key: str, kind: str, data: bytes,
                   filename: str, finding_client_key: str = "", inspector_id: int | None = None,
                   signer_name: str = "") -> InspectionAttachment:
    """A photo of a finding, an inspector's signature or the enterprise's acknowledgement, from the phone
    page. The same ``client_key`` again answers the row already made (no second file row)."""
    if not 8 <= len(client_key) <= 64:
        raise invalid("client_key", "同步标识应为 8 至 64 个字符")
    same = db.scalar(select(InspectionAttachment).where(InspectionAttachment.client_key == client_key))
    if same is not None:
        if same.inspection_id != inspection_id:
            raise Conflict("该同步标识已用于另一检查")
        get_inspection(db=db, actor=actor, inspection_id=inspection_id)
        return same
    row = _writable(db, actor, inspection_id)
    if kind not in ATTACHMENT_KINDS:
        raise invalid("kind", "应为 photo、inspector_signature 或 enterprise_signature")
    finding_id = None
    if kind == "photo":
        finding = db.scalar(select(Finding).where(Finding.client_key == finding_client_key,
                                                  Finding.inspection_id == row.id))
        if finding is None:
            raise invalid("finding_client_key", "本次检查没有这一检查发现")
        finding_id = finding.id
    if kind == "inspector_signature" and inspector_id not in (row.inspector_ids or []):
        raise invalid("inspector_id", "签名人不是本次检查的执法人员")
    if kind == "enterprise_signature" and not signer_name.strip():
        raise invalid("signer_name", "请填写被检查单位签收人姓名")
    stored = files.store(db, data=data, filename=filename, allowed=PHOTO_TYPES, field="file", uploaded_by=actor.id)
    out = InspectionAttachment(inspection_id=row.id, client_key=client_key, kind=kind, finding_id=finding_id,
                               inspector_id=inspector_id if kind == "inspector_signature" else None,
                               signer_name=signer_name.strip()[:100] if kind == "enterprise_signature" else "",
                               attachment_id=stored.id, created_at=utcnow(), uploaded_by=actor.id)
    db.add(out)
    db.flush()
    return out


def attachments_of(db: Session, inspection: Inspection) -> list[InspectionAttachment]:
    return list(db.scalars(select(InspectionAttachment).where(InspectionAttachment.inspection_id == inspection.id)
                           .order_by(InspectionAttachment.id)))


def attachment_file(*, db: Session, actor: Actor, inspection_id: int, attachment_id: int) -> tuple:
    row = get_inspection(db=db, actor=actor, inspection_id=inspection_id)
    if not any(a.attachment_id == attachment_id for a in attachments_of(db, row)):
        raise NotFound("附件不存在")
    return files.load(db, attachment_id)


def enterprise_name(db: Session, enterprise_id: int) -> str:
    return registry_service.enterprise_info(db=db, enterprise_id=enterprise_id).name


def phone_view(*, db: Session, actor: Actor, inspection_id: int) -> dict:
    """What the phone page needs: the inspection (only its inspectors and the bureau may record on it),
    its industry's checklist and the names of its inspectors."""
    row = _writable(db, actor, inspection_id)
    e = registry_service.enterprise_info(db=db, enterprise_id=row.enterprise_id)
    checklist = db.scalars(select(ChecklistEntry).where(ChecklistEntry.industry == e.industry)
                           .order_by(ChecklistEntry.id)).all()
    officers = db.scalars(select(Inspector).where(Inspector.id.in_(row.inspector_ids or []))
                          .order_by(Inspector.id)).all()
    return {"inspection": row, "enterprise": e, "checklist": checklist, "inspectors": officers,
            "findings": findings(db, row), "attachments": attachments_of(db, row)}


def documents_of(db: Session, inspection: Inspection) -> list[InspectionDocument]:
    return list(db.scalars(select(InspectionDocument).where(InspectionDocument.inspection_id == inspection.id)
                           .order_by(InspectionDocument.id)))


def _number(db: Session, kind: str, year: int) -> str:
    prefix = f"柳应急{DOCUMENT_CODES[kind]}〔{year}〕"
    taken = db.scalars(select(InspectionDocument.number).where(InspectionDocument.number.startswith(prefix))).all()
    return f"{prefix}{max((int(t[len(prefix):].rstrip('号')) for t in taken), default=0) + 1}号"


def issue_document(*, db: Session, actor: Actor, inspection_id: int, data: DocumentCreate) -> InspectionDocument:
    row = _writable(db, actor, inspection_id)
    have = {d.kind: d for d in documents_of(db, row)}
    if data.kind in have and data.kind != "review_opinion":
        raise Conflict(f"本次检查已出具{DOCUMENT_TITLES[data.kind]}（{have[data.kind].number}）")
    needed = DEPENDS_ON.get(data.kind)
    if needed and needed not in have:
        raise Conflict(f"出具{DOCUMENT_TITLES[data.kind]}前须先出具{DOCUMENT_TITLES[needed]}")
    if data.kind == "rectification_order":
        if data.rectify_by is None:
            raise invalid("rectify_by", "责令限期整改须写明整改期限")
        if not findings(db, row):
            raise Conflict("没有检查发现的隐患，无须责令整改")
    doc = InspectionDocument(inspection_id=row.id, kind=data.kind, number=_number(db, data.kind, local_today().year),
                             depends_on=have[needed].id if needed else None, rectify_by=data.rectify_by,
                             issued_at=utcnow())
    db.add(doc)
    db.flush()
    return doc


def _when(value: datetime | None) -> str:
    return to_local(value).strftime("%Y年%m月%d日") if value else ""


def document_docx(*, db: Session, actor: Actor, document_id: int) -> tuple[InspectionDocument, bytes]:
    """The document as .docx with the district's header and its number (cn-rules §11.6 fields)."""
    doc = db.get(InspectionDocument, document_id)
    if doc is None:
        raise NotFound("文书不存在")
    row = get_inspection(db=db, actor=actor, inspection_id=doc.inspection_id)
    e = registry_service.enterprise_info(db=db, enterprise_id=row.enterprise_id)
    districts = geo_service.region_infos(db=db, level="district")
    bureau = (districts[0].name if districts else "") + "应急管理局"
    officers = db.scalars(select(Inspector).where(Inspector.id.in_(row.inspector_ids))).all()
    out = documents.docx_document(issuer=bureau, title=DOCUMENT_TITLES[doc.kind], number=doc.number)
    documents.add_field_table(out, [("被检查单位", e.name), ("检查时间", _when(row.started_at)),
                                    ("执法人员及证号", "、".join(f"{i.name}（{i.certificate_no}）" for i in officers))])
    found = findings(db, row)
    documents.add_table(out, ["序号", "检查发现的问题（隐患）", "检查表条目"],
                        [(n, f.description, f.checklist_number) for n, f in enumerate(found, start=1)])
    if doc.kind == "rectification_order":
        government = (districts[0].name if districts else "") + "人民政府"
        out.add_paragraph(f"责令你单位于{_when(doc.rectify_by)}前整改完毕，达到有关法律法规规章和标准规定的要求。"
                          f"如不服本指令，可依法在六十日内向{government}申请行政复议，"
                          "或者在六个月内依法向人民法院提起行政诉讼。")
    if doc.kind == "review_opinion":
        order = db.get(InspectionDocument, doc.depends_on)
        out.add_paragraph(f"根据{order.number}，经复查，上述问题的整改情况如下：")
    signed = _signatures(db, row, officers)
    if signed:
        for line, path in signed:
            out.add_paragraph(line)
            out.add_picture(str(path), width=Cm(4))
        documents.add_signature(out, f"{bureau}", _when(doc.issued_at))
    else:
        documents.add_signature(out, "执法人员（签名）：", "被检查单位负责人（签收）：", f"{bureau}",
                                _when(doc.issued_at))
    return doc, documents.docx_bytes(out)


def _signatures(db: Session, row: Inspection, officers) -> list[tuple[str, object]]:
    """The signatures made on the phone page, the latest of each signer: each inspector's, then the
    enterprise's acknowledgement with its signer's name."""
    names = {i.id: f"{i.name}（{i.certificate_no}）" for i in officers}
    latest: dict[object, InspectionAttachment] = {}
    for a in attachments_of(db, row):
        if a.kind == "inspector_signature":
            latest[a.inspector_id] = a
        elif a.kind == "enterprise_signature":
            latest["enterprise"] = a
    out = []
    for who, a in latest.items():
        line = (f"被检查单位签收：{a.signer_name}" if who == "enterprise"
                else f"执法人员签名：{names.get(who, '')}")
        out.append((line, files.load(db, a.attachment_id)[1]))
    out.sort(key=lambda pair: pair[0].startswith("被检查单位"))
    return out
