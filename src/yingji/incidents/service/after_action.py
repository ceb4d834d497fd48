"""After-action (issue 13 point 9): the incident report (事件总结报告) as .docx (python-docx through
``core.documents``) and PDF (HTML through WeasyPrint, the machine's CJK font embedded), with the facts,
the figures (counts, grade history, the latest 灾情报告 by township), the reporting record (迟报 minutes),
the dispatch orders, the timeline and a map picture drawn on the server (``report_map``).

Orders: the dispatch tables belong to command and dispatch; it registers a provider with
``register_orders`` (rows of 时间 / 指令 / 接收方 / 状态) and the report prints what it gives. Until one is
registered the section says that no orders are recorded."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from yingji.core import documents
from yingji.core.actor import Actor
from yingji.core.clock import LOCAL_TZ
from yingji.geo import service as geo_service
from yingji.incidents import disaster_reports, report_map, standards
from yingji.incidents.service.changes import detail
from yingji.incidents.service.common import LABELS, SOURCES, STATUS_LABELS
from yingji.incidents.service.disaster import KIND_LABELS, reports
from yingji.incidents.service.impact import affected_area

OrderRows = list[tuple[str, str, str, str]]  # (time, order, receiver, status)
_order_providers: list[Callable[[Session, int], OrderRows]] = []


def register_orders(provider: Callable[[Session, int], OrderRows]) -> None:
    """The hook for dispatch: ``provider(db, incident_id)`` → the incident's orders as printed rows."""
    if provider not in _order_providers:
        _order_providers.append(provider)


def _orders(db: Session, incident_id: int) -> OrderRows:
    return [row for provider in _order_providers for row in provider(db, incident_id)]


def _t(value) -> str:
    return f"{value.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}" if value else "—"


@dataclass
class ReportContent:
    issuer: str
    title: str
    facts: list[tuple[str, str]]
    figures: list[tuple[str, str]]
    grade_rows: list[tuple[str, str, str, str]]
    disaster_header: list[str]
    disaster_rows: list[list[str]]
    disaster_caption: str
    obligation_rows: list[tuple[str, str, str, str]]
    orders: OrderRows
    timeline: list[tuple[str, str, str]]
    summary: str
    map_png: bytes


def content(*, db: Session, actor: Actor, incident_id: int) -> ReportContent:
    d = detail(db=db, actor=actor, incident_id=incident_id)
    i = d["incident"]
    district = geo_service.root(db=db)
    issuer = f"{district.name if district else ''}应急管理局"
    kind = standards.incident_kinds().get(i.kind)
    drill = "【演练】" if i.drill else ""
    title = f"{drill}{i.title} 事件总结报告"
    facts = [
        ("事件", i.title), ("类型", kind.label if kind else i.kind), ("地点", i.address or i.region_code),
        ("发生时间", _t(i.occurred_at)), ("接报时间", _t(i.reported_at)), ("来源", SOURCES.get(i.source, i.source)),
        ("等级", i.grade_label or "未定级"), ("状态", STATUS_LABELS.get(i.status, i.status)),
        ("灾情稳定", _t(i.stabilised_at)), ("处置结束", _t(i.closed_at)),
    ]
    figures = [(label, str(getattr(i, field))) for field, label in LABELS.items()]
    figures.append(("直接经济损失（元）", f"{Decimal(i.direct_loss_yuan):,.2f}"))
    grade_rows = [(_t(g.at), g.old_grade or "—", g.label, g.reason) for g in d["grade_history"]]
    disaster_header, disaster_rows, caption = [], [], "本事件无灾情报告。"
    rows = reports(db, i.id)
    if rows:
        last = rows[-1]
        names = {t.code: t.name for t in geo_service.region_infos(db=db, level="township")}
        names[disaster_reports.DISTRICT] = "全区合计"
        keys = ["affected_person_times", "deaths", "missing", "relocated", "collapsed_houses", "direct_loss_10k_yuan"]
        disaster_header = ["乡（镇、街道）"] + [disaster_reports.INDICATORS[k] for k in keys]
        order = sorted(last.figures, key=lambda a: (a == disaster_reports.DISTRICT, a))
        disaster_rows = [[names.get(a, a)] + [last.figures[a].get(k, "—") for k in keys] for a in order]
        caption = (f"据灾情{KIND_LABELS[last.kind]}第 {last.number} 号（统计截止 {_t(last.as_of)}）；"
                   f"共报送 {len(rows)} 次。")
    obligation_rows = [(o.label, _t(o.due_at), *_made(o)) for o in d["obligations"]]
    timeline = [(_t(e.at), e.actor_name, e.text) for e in d["timeline"]]
    area = affected_area(db, i.id)
    map_png = report_map.draw(
        townships=geo_service.boundaries(db=db, level="township")["features"],
        point=(i.lon, i.lat) if i.lon is not None else _centroid(db, i.region_code),
        area=area.geometry if area else None, title=i.title,
    )
    return ReportContent(issuer, title, facts, figures, grade_rows, disaster_header, disaster_rows, caption,
                         obligation_rows, _orders(db, i.id), timeline, i.summary or "（尚未结束，暂无总结）", map_png)


def _made(o) -> tuple[str, str]:
    """When an obligation's report was made and whether in time (迟报 minutes)."""
    if o.status != "fulfilled":
        return {"open": "未报", "cancelled": "不再需要"}.get(o.status, o.status), ""
    return _t(o.fulfilled_at), f"迟报 {o.late_minutes} 分钟" if o.late_minutes else "按时"


def _centroid(db: Session, code: str) -> tuple[float, float] | None:
    try:
        return geo_service.region_info(db=db, code=code).centroid
    except Exception:
        return None


def map_png(*, db: Session, actor: Actor, incident_id: int) -> bytes:
    return content(db=db, actor=actor, incident_id=incident_id).map_png


NO_ORDERS = "本事件无调度指令记录。"


def as_docx(*, db: Session, actor: Actor, incident_id: int) -> bytes:
    import io

    from docx.shared import Cm

    c = content(db=db, actor=actor, incident_id=incident_id)
    doc = documents.docx_document(issuer=c.issuer, title=c.title)
    doc.add_heading("一、基本情况", level=2)
    documents.add_field_table(doc, c.facts)
    doc.add_heading("二、位置与受影响区域", level=2)
    doc.add_picture(io.BytesIO(c.map_png), width=Cm(16))
    doc.add_heading("三、伤亡与损失", level=2)
    documents.add_field_table(doc, c.figures)
    if c.grade_rows:
        documents.add_table(doc, ["时间", "原等级", "定级", "原因"], c.grade_rows)
    doc.add_heading("四、灾情", level=2)
    doc.add_paragraph(c.disaster_caption)
    if c.disaster_rows:
        documents.add_table(doc, c.disaster_header, c.disaster_rows)
    doc.add_heading("五、信息报送", level=2)
    documents.add_table(doc, ["报告", "时限", "报告时间", "及时性"], c.obligation_rows)
    doc.add_heading("六、调度指令", level=2)
    if c.orders:
        documents.add_table(doc, ["时间", "指令", "接收方", "状态"], c.orders)
    else:
        doc.add_paragraph(NO_ORDERS)
    doc.add_heading("七、处置经过", level=2)
    documents.add_table(doc, ["时间", "人员", "事项"], c.timeline)
    doc.add_heading("八、总结", level=2)
    doc.add_paragraph(c.summary)
    documents.add_signature(doc, c.issuer)
    return documents.docx_bytes(doc)


def as_pdf(*, db: Session, actor: Actor, incident_id: int) -> bytes:
    c = content(db=db, actor=actor, incident_id=incident_id)
    picture = base64.b64encode(c.map_png).decode()
    parts = [
        "<h2>一、基本情况</h2>", documents.html_field_table(c.facts),
        "<h2>二、位置与受影响区域</h2>", f'<img alt="事件位置图" src="data:image/png;base64,{picture}">',
        "<h2>三、伤亡与损失</h2>", documents.html_field_table(c.figures),
        documents.html_table(["时间", "原等级", "定级", "原因"], c.grade_rows) if c.grade_rows else "",
        "<h2>四、灾情</h2>", f"<p>{documents.esc(c.disaster_caption)}</p>",
        documents.html_table(c.disaster_header, c.disaster_rows) if c.disaster_rows else "",
        "<h2>五、信息报送</h2>", documents.html_table(["报告", "时限", "报告时间", "及时性"], c.obligation_rows),
        "<h2>六、调度指令</h2>",
        documents.html_table(["时间", "指令", "接收方", "状态"], c.orders) if c.orders
        else f"<p>{documents.esc(NO_ORDERS)}</p>",
        "<h2>七、处置经过</h2>", documents.html_table(["时间", "人员", "事项"], c.timeline),
        "<h2>八、总结</h2>", f"<p>{documents.esc(c.summary)}</p>",
    ]
    return documents.pdf_from_html("".join(parts), title=c.title, issuer=c.issuer)
