"""The filing certificate (生产经营单位生产安全事故应急预案备案登记表 / 应急预案备案登记表) as a .docx."""

from __future__ import annotations

import io
from datetime import datetime

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from sqlalchemy.orm import Session

from yingji.core.actor import Actor
from yingji.core.clock import LOCAL_TZ
from yingji.plans.enums import FILING_MATERIALS, FILING_STATUS_LABELS, PLAN_KIND_LABELS
from yingji.plans.service.common import district
from yingji.plans.service.filings import certificate_filing

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def filing_certificate(*, db: Session, actor: Actor, filing_id: int, now: datetime | None = None) -> tuple[str, bytes]:
    """(file name, .docx bytes) of the 备案登记表 of an accepted or deemed-filed filing."""
    filing, plan = certificate_filing(db=db, actor=actor, filing_id=filing_id, now=now)
    bureau = district(db).name + "应急管理局"
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("应急预案备案登记表")
    run.bold, run.font.size = True, Pt(18)
    doc.add_paragraph(f"备案编号：{filing.certificate_no}")
    decided = filing.decided_at.astimezone(LOCAL_TZ) if filing.decided_at else None
    submitted = filing.submitted_at.astimezone(LOCAL_TZ)
    rows = [
        ("单位（部门）名称", plan.owner_name),
        ("预案名称", plan.title),
        ("预案类别", PLAN_KIND_LABELS.get(plan.kind, plan.kind)),
        ("预案编号", plan.code),
        ("发布日期", plan.published_on.isoformat() if plan.published_on else "—"),
        ("备案申请日期", f"{submitted:%Y年%m月%d日}"),
        ("备案材料", "、".join(FILING_MATERIALS[k] for k in filing.materials if k in FILING_MATERIALS)),
        ("备案结论", FILING_STATUS_LABELS[filing.status]),
        ("登记日期", f"{decided:%Y年%m月%d日}" if decided else "—"),
    ]
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for i, (label, value) in enumerate(rows):
        table.cell(i, 0).text, table.cell(i, 1).text = label, value
    if filing.status == "deemed_filed":
        # 令2 第二十八条: unanswered within 5 working days and no reason given, it counts as filed.
        doc.add_paragraph("备案管理部门未在 5 个工作日内作出答复且未说明理由，依据《生产安全事故应急预案管理办法》"
                          "第二十八条，视为已经备案。")
    else:
        doc.add_paragraph(f"经形式审查，{plan.owner_name}报送的应急预案备案材料齐全，予以备案登记。")
    sign = doc.add_paragraph(f"{bureau}（备案登记专用）")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    doc.save(buf)
    return f"备案登记表-{filing.certificate_no}.docx", buf.getvalue()
