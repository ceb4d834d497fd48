"""The electronic case file (电子卷宗) of a penalty case as one PDF: the cover, the index, then one document
per step taken, in order (cn-rules §11.6 names the set: 立案审批表 … 结案审批表, 卷宗封面与卷内目录)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core import documents
from yingji.core.actor import Actor
from yingji.core.clock import to_local
from yingji.enforcement import case_procedure as rules
from yingji.enforcement.models import Inspector
from yingji.enforcement.service.cases import band, deadlines, get_case, steps
from yingji.geo import service as geo_service

# The document each step leaves in the file.
STEP_DOCUMENTS = {
    "filed": "立案审批表", "investigating": "调查取证笔录", "notified": "行政处罚告知书（陈述申辩）",
    "hearing": "听证告知书", "legal_review": "法制审核意见书", "collective_discussion": "集体讨论记录",
    "decided": "行政处罚决定书", "served": "送达回证", "executing": "执行记录", "closed": "结案审批表",
}


def document_name(step) -> str:
    """The document a step record stands for: the party's answer to a notice and the head's extension are
    documents of their own, recorded at the step the case stood at."""
    if step.note.startswith("当事人"):
        return "陈述申辩及听证申请记录"
    if step.note.startswith("经负责人批准延长"):
        return "延期审批表"
    return STEP_DOCUMENTS.get(step.step, step.step)


def _when(value) -> str:
    return to_local(value).strftime("%Y-%m-%d %H:%M") if value else ""


def case_file_pdf(*, db: Session, actor: Actor, case_id: int) -> bytes:
    case = get_case(db=db, actor=actor, case_id=case_id)
    districts = geo_service.region_infos(db=db, level="district")
    issuer = (districts[0].name if districts else "") + "应急管理局"
    officers = db.scalars(select(Inspector).where(Inspector.id.in_(case.inspector_ids or []))).all()
    team = "、".join(f"{i.name}（执法证号 {i.certificate_no}）" for i in officers)
    label = rules.case_rules()["bands"].get(case.violation, {}).get("label", case.violation)
    history = steps(db, case)
    cover = documents.html_field_table([
        ("案号", case.case_no), ("当事人", case.party_name), ("违法行为", label), ("罚款金额（元）", case.amount_yuan),
        ("承办人", team), ("立案日期", _when(case.filed_at)), ("结案日期", _when(case.closed_at)),
        ("当前环节", rules.STEP_LABELS[case.step]),
    ])
    index = documents.html_table(["序号", "文书", "日期", "页次"], [
        (n, document_name(s), _when(s.at), n + 2) for n, s in enumerate(history, start=1)])
    sections = [documents.PdfSection("卷宗封面", cover), documents.PdfSection("卷内目录", index)]
    b = band(case)
    limits = documents.html_table(["期限", "截止", "说明"], [
        (d.rule.label, f"{d.last_day} 24 时", d.explanation()) for d in deadlines(db, case)])
    for s in history:
        rows = [("案号", case.case_no), ("当事人", case.party_name), ("环节", rules.STEP_LABELS[s.step]),
                ("时间", _when(s.at)), ("记录", s.note)]
        if s.step in ("notified", "decided"):
            rows.append(("罚款金额及裁量理由", f"{case.amount_yuan} 元。{b.reason}"))
        body = documents.html_field_table(rows)
        if s.step == "filed":
            body += limits
        if s.step == "decided":
            body += "<p>如不服本决定，可在收到本决定书之日起六十日内申请行政复议，或者在六个月内依法提起行政诉讼。</p>"
        sections.append(documents.PdfSection(document_name(s), body))
    return documents.pdf_from_sections(sections, title=f"{case.case_no} 电子卷宗", issuer=issuer)
