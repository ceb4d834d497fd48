"""The plan's mid-term (2023) and final (2025) evaluation reports (第五章三) as .docx: the indicators of
专栏1 year by year against their targets, the rates gathered from the capabilities, every task with its
progress, and charts drawn on the server. Built from the same figures the pages show."""

from __future__ import annotations

import io
from decimal import Decimal

from docx.shared import Cm
from sqlalchemy.orm import Session

from yingji.core import documents
from yingji.core.actor import Actor, require
from yingji.core.clock import to_local, utcnow
from yingji.core.errors import invalid
from yingji.geo import service as geo_service
from yingji.stats import charts
from yingji.stats.indicators import rounded
from yingji.stats.service import figures, rates, tasks
from yingji.stats.service.common import period, plan_data

KINDS = {"midterm": ("中期评估报告", 2023), "final": ("总结评估报告", 2025)}


def _num(v: Decimal | float | None, places: int = 4) -> str:
    if v is None:
        return "缺"
    return f"{rounded(Decimal(str(v)), places).normalize():f}"


def _issuer(db: Session) -> str:
    districts = geo_service.region_infos(db=db, level="district")
    return (districts[0].name if districts else "") + "应急管理局"


def report(*, db: Session, actor: Actor, kind: str) -> tuple[bytes, str]:
    """(the .docx, its file name). ``kind``: midterm (through 2023) or final (through 2025)."""
    require(actor, "stats.read")
    if kind not in KINDS:
        raise invalid("kind", "可选：midterm（中期）、final（总结）")
    label, until = KINDS[kind]
    plan = plan_data()["plan"]
    start, _end = period()
    doc = documents.docx_document(issuer=_issuer(db), title=f"{plan}{label}")
    doc.add_paragraph(f"评估期：{start}–{until} 年。生成时间：{to_local(utcnow()):%Y-%m-%d %H:%M}。"
                      "数据来自平台记录（演练不计入）与年度基础数据；缺少的数据标为“缺”，不按零计。")

    rows, years = figures.indicators(db=db, actor=actor, until=until)
    demo_years = [y.figures.year for y in years if y.is_demo]
    if demo_years:
        doc.add_paragraph("注：以下年份的年度基础数据为演示数据：" + "、".join(map(str, demo_years)) + "。")
    doc.add_heading("一、主要指标（专栏1）", level=2)
    year_list = [y.figures.year for y in years]
    header = ["指标", "属性", "基期值", "目标值"] + [str(y) for y in year_list] + ["评估值", "是否达到"]
    body = []
    for r in rows:
        d = r.definition
        met = r.value.met
        body.append([f"{d.label}（{d.unit}）", d.kind, _num(d.base), _num(d.target) if d.target is not None else "—",
                     *[_num(r.value.by_year.get(y)) for y in year_list], _num(r.value.value),
                     "—" if met is None else ("是" if met else "否")])
    documents.add_table(doc, header, body)
    missing = sorted({figures.missing_label(m) for r in rows for m in r.value.missing})
    if missing:
        doc.add_paragraph("缺少的数据：" + "、".join(missing) + "。")
    for code in ("work_safety_deaths", "deaths_per_100m_gdp"):
        r = next(x for x in rows if x.code == code)
        png = charts.bars_by_year(r.definition.label, {y: None if v is None else float(v)
                                                       for y, v in r.value.by_year.items()},
                                  target=float(r.definition.target) if r.definition.target is not None else None,
                                  unit=r.definition.unit)
        doc.add_picture(io.BytesIO(png), width=Cm(15))

    doc.add_heading("二、规划各项比率", level=2)
    rate_rows = rates.gather(db=db, actor=actor)
    documents.add_table(doc, ["比率", "规划条目", "目标", "当前值", "数据来源"], [
        [r.label, r.section, "—" if r.target is None else f"{r.target * 100:.0f}%",
         {"not_connected": "未接入", "forbidden": "无权查看", "error": "无法计算"}.get(r.state) or (
             "无数据" if r.value is None or r.value.value is None else f"{r.value.value * 100:.1f}%"),
         r.missing if r.state != "ok" else (r.capability or "")] for r in rate_rows])
    shown = [(r.label, r.value.value if r.value else None, r.target) for r in rate_rows if r.state == "ok"]
    if shown:
        doc.add_picture(io.BytesIO(charts.shares("各项比率与目标（红线为目标）", shown)), width=Cm(15))

    doc.add_heading("三、主要任务实施情况", level=2)
    progress = tasks.list_tasks(db=db, actor=actor)
    s = tasks.summary(progress)
    doc.add_paragraph(f"任务 {len(progress)} 项：已完成 {s['done']} 项，推进中 {s['in_progress']} 项，未开始 "
                      f"{s['not_started']} 项，无法判断 {s['unknown']} 项；逾期未完成 {s['overdue']} 项；"
                      f"其中 {s['computed']} 项的进度由平台记录计算。")
    documents.add_table(doc, ["编号", "任务", "牵头单位", "配合单位", "完成时限", "目标", "进度", "状态"], [
        [p.task.code, p.task.title, p.task.lead, "、".join(p.task.supporting), p.task.due_year,
         "—" if p.task.target is None else f"{_num(p.task.target)}{'' if p.task.unit == '比例' else p.task.unit}",
         "—" if p.share is None else f"{p.share * 100:.0f}%" + ("（平台计算）" if p.computed else ""),
         tasks.STATUS_LABELS.get(p.status, "无法判断") + ("，逾期" if p.overdue else "")] for p in progress])
    counts = {"已完成": s["done"], "推进中": s["in_progress"], "未开始": s["not_started"], "无法判断": s["unknown"]}
    total = max(len(progress), 1)
    doc.add_picture(io.BytesIO(charts.shares("任务状态分布（占全部任务）",
                                             [(k, v / total, None) for k, v in counts.items()])), width=Cm(15))
    documents.add_signature(doc, _issuer(db), f"{to_local(utcnow()):%Y年%m月%d日}")
    return documents.docx_bytes(doc), f"{plan}{label}.docx"
