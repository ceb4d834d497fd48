"""The filing certificate (生产经营单位生产安全事故应急预案备案登记表 / 应急预案备案登记表) as a .docx."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from yingji.core import documents
from yingji.core.actor import Actor
from yingji.core.clock import LOCAL_TZ
from yingji.plans.enums import FILING_MATERIALS, FILING_STATUS_LABELS, PLAN_KIND_LABELS
from yingji.plans.service.common import district
from yingji.plans.service.filings import certificate_filing


def filing_certificate(*, db: Session, actor: Actor, filing_id: int, now: datetime | None = None) -> tuple[str, bytes]:
    """(file name, .docx bytes) of the 备案登记表 of an accepted or deemed-filed filing."""
    filing, plan = certificate_filing(db=db, actor=actor, filing_id=filing_id, now=now)
    bureau = district(db).name + "应急管理局"
    doc = documents.docx_document(issuer=bureau, title="应急预案备案登记表",
                                  number=f"备案编号：{filing.certificate_no}")
    decided = filing.decided_at.astimezone(LOCAL_TZ) if filing.decided_at else None
    submitted = filing.submitted_at.astimezone(LOCAL_TZ)
    documents.add_field_table(doc, [
        ("单位（部门）名称", plan.owner_name),
        ("预案名称", plan.title),
        ("预案类别", PLAN_KIND_LABELS.get(plan.kind, plan.kind)),
        ("预案编号", plan.code),
        ("发布日期", plan.published_on.isoformat() if plan.published_on else "—"),
        ("备案申请日期", f"{submitted:%Y年%m月%d日}"),
        ("备案材料", "、".join(FILING_MATERIALS[k] for k in filing.materials if k in FILING_MATERIALS)),
        ("备案结论", FILING_STATUS_LABELS[filing.status]),
        ("登记日期", f"{decided:%Y年%m月%d日}" if decided else "—"),
    ])
    if filing.status == "deemed_filed":
        # 令2 第二十八条: unanswered within 5 working days and no reason given, it counts as filed.
        doc.add_paragraph("备案管理部门未在 5 个工作日内作出答复且未说明理由，依据《生产安全事故应急预案管理办法》"
                          "第二十八条，视为已经备案。")
    else:
        doc.add_paragraph(f"经形式审查，{plan.owner_name}报送的应急预案备案材料齐全，予以备案登记。")
    documents.add_signature(doc, f"{bureau}（备案登记专用）")
    return f"备案登记表-{filing.certificate_no}.docx", documents.docx_bytes(doc)
