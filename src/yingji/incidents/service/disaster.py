"""Natural-disaster reports (灾情报送, issue 13 point 8): 初报, 续报 and 核报 with the core indicators of the
natural-disaster statistics system (cn-rules §9.2) per township plus the district total. Each report is
checked (``disaster_reports.check``: every problem a 422 naming ``figures.<area>.<indicator>``), kept as
submitted, and fulfils the oldest open obligation of its kind (初报 within 2 h, 续报 by 09:00 daily, 核报
after stabilisation: point 3's deadlines), so a late report is 迟报 with its minutes. Exports: the table the
higher level expects (xlsx, townships as rows, indicators as columns) and JSON."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.core import excel
from yingji.core.actor import Actor
from yingji.core.clock import LOCAL_TZ, utcnow
from yingji.core.errors import ErrorDetail, NotFound, ValidationFailed, invalid
from yingji.geo import service as geo_service
from yingji.incidents import disaster_reports
from yingji.incidents.models import Incident, Obligation
from yingji.incidents.report_models import DisasterReport
from yingji.incidents.report_schemas import DisasterReportCreate
from yingji.incidents.service import incident_notices, obligations
from yingji.incidents.service.changes import check_version
from yingji.incidents.service.common import actor_name, ensure_open, load, note

KIND_LABELS = {"initial": "初报", "follow_up": "续报", "final": "核报"}
# The obligations (report_rules tables) each kind of report fulfils; the initial report fulfils both of its.
FULFILS = {
    "initial": ("disaster_initial", "disaster_initial_direct"),
    "follow_up": ("disaster_follow_up", "drought_follow_up"),
    "final": ("disaster_final",),
}
DISTRICT = disaster_reports.DISTRICT


def reports(db: Session, incident_id: int) -> list[DisasterReport]:
    query = select(DisasterReport).where(DisasterReport.incident_id == incident_id)
    return list(db.scalars(query.order_by(DisasterReport.number)))


def list_reports(*, db: Session, actor: Actor, incident_id: int) -> list[DisasterReport]:
    incident = load(db, actor, incident_id)
    return reports(db, incident.id)


def get_report(*, db: Session, actor: Actor, report_id: int) -> tuple[DisasterReport, Incident]:
    row = db.get(DisasterReport, report_id)
    if row is None:
        raise NotFound("灾情报告不存在")
    return row, load(db, actor, row.incident_id)


def _as_check(row_kind: str, figures: dict[str, dict[str, Decimal]],
              reasons: dict[str, str]) -> disaster_reports.DisasterReport:
    return disaster_reports.DisasterReport(kind=row_kind, figures=figures, reasons=reasons)


def _stored(row: DisasterReport) -> disaster_reports.DisasterReport:
    return _as_check(row.kind, {a: {k: Decimal(v) for k, v in vals.items()} for a, vals in row.figures.items()},
                     row.reasons)


def _check_areas(db: Session, figures: dict[str, dict[str, Decimal]]) -> None:
    townships = {t.code for t in geo_service.region_infos(db=db, level="township")}
    problems = []
    for area, values in figures.items():
        if area != DISTRICT and area not in townships:
            problems.append(ErrorDetail(f"figures.{area}", "不是本区的乡（镇、街道）代码"))
        for key, value in values.items():
            if not value.is_finite():
                problems.append(ErrorDetail(f"figures.{area}.{key}", "须为数字"))
            elif value > Decimal("1e12"):
                problems.append(ErrorDetail(f"figures.{area}.{key}", "数值过大"))
    if problems:
        raise ValidationFailed("灾情报告有误：" + "；".join(f"{p.field} {p.message}" for p in problems), problems)


def submit(*, db: Session, actor: Actor, incident_id: int, data: DisasterReportCreate) -> DisasterReport:
    """Checks and keeps one 灾情报告; answers 422 naming every field at fault, and changes nothing then."""
    incident = load(db, actor, incident_id, permission="incidents.manage", for_update=True)
    ensure_open(incident)
    if incident.scheme != "natural":
        raise invalid("kind", "只有自然灾害事件报送灾情（事故按事故报告）")
    now = utcnow()
    as_of = data.as_of or now
    if as_of.tzinfo is None:
        raise invalid("as_of", "时间须带时区，例如 2026-06-10T24:00:00+08:00")
    as_of = as_of.astimezone(UTC)
    if as_of > now + timedelta(minutes=5):
        raise invalid("as_of", "统计截止时间不能晚于现在")
    if as_of < incident.occurred_at.astimezone(UTC):
        raise invalid("as_of", "统计截止时间不能早于灾害发生时间")
    earlier = reports(db, incident.id)
    kinds = [r.kind for r in earlier]
    if data.kind == "initial" and "initial" in kinds:
        raise invalid("kind", "已有初报，之后报续报或核报")
    if data.kind != "initial" and "initial" not in kinds:
        raise invalid("kind", "先报初报")
    if data.kind == "final" and incident.stabilised_at is None:
        raise invalid("kind", "灾情稳定后才能核报：请先登记灾情稳定")
    if "final" in kinds and data.kind != "final":
        raise invalid("kind", "已核报，只能再报核报（更正）")
    _check_areas(db, data.figures)
    reasons = {k: v.strip() for k, v in data.reasons.items() if v.strip()}
    problems = disaster_reports.check(_as_check(data.kind, data.figures, reasons), [_stored(r) for r in earlier])
    if problems:
        details = [ErrorDetail(f"figures.{p.field}", p.message) for p in problems]
        raise ValidationFailed("灾情报告有误：" + "；".join(f"{d.field} {d.message}" for d in details), details)
    number = (db.scalar(select(func.max(DisasterReport.number)).where(DisasterReport.incident_id == incident.id))
              or 0) + 1
    row = DisasterReport(
        incident_id=incident.id, number=number, kind=data.kind, as_of=as_of, submitted_at=now,
        submitted_by=actor_name(actor),
        figures={a: {k: str(v) for k, v in vals.items()} for a, vals in data.figures.items()},
        reasons=reasons, note=data.note.strip(), late_minutes=0,
    )
    db.add(row)
    db.flush()
    owed = _fulfil_owed(db, incident, data.kind, at=now, by=actor_name(actor), number=number)
    if owed is not None:
        row.obligation_id, row.late_minutes = owed.id, owed.late_minutes
    late = f"，迟报 {row.late_minutes} 分钟" if row.late_minutes else ""
    note(db, incident.id, "disaster", f"灾情{KIND_LABELS[data.kind]}（第 {number} 号）{late}", actor=actor, at=now,
         ref_id=row.id)
    db.flush()
    return row


def _fulfil_owed(db: Session, incident: Incident, kind: str, *, at: datetime, by: str,
                 number: int) -> Obligation | None:
    """Fulfils the oldest open obligation of each code the report answers (an 初报 both of its); returns the
    first one fulfilled, whose 迟报 minutes the report carries."""
    obligations.sync(db, incident, now=at)
    first = None
    for code in FULFILS[kind]:
        o = db.scalar(select(Obligation).where(Obligation.incident_id == incident.id, Obligation.code == code,
                                               Obligation.status == "open")
                      .order_by(Obligation.due_at, Obligation.id).limit(1))
        if o is None:
            continue
        obligations._fulfil(o, at=at, by=by, text=f"灾情报告第 {number} 号")
        incident_notices.report_made(db, o.id)
        first = first or o
    return first


def declare_stabilised(*, db: Session, actor: Actor, incident_id: int, version: int,
                       at: datetime | None = None) -> Incident:
    """灾情稳定: from then on no 续报 is owed, and the 核报 falls due (the table's days after it)."""
    incident = load(db, actor, incident_id, permission="incidents.manage", for_update=True)
    ensure_open(incident)
    check_version(db, incident, version)
    if incident.scheme != "natural":
        raise invalid("kind", "只有自然灾害事件登记灾情稳定")
    now = utcnow()
    when = at or now
    if when.tzinfo is None:
        raise invalid("at", "时间须带时区")
    when = when.astimezone(UTC)
    if when > now + timedelta(minutes=5):
        raise invalid("at", "灾情稳定时间不能晚于现在")
    if when < incident.occurred_at.astimezone(UTC):
        raise invalid("at", "灾情稳定时间不能早于发生时间")
    incident.stabilised_at = when
    incident.version += 1
    note(db, incident.id, "status", f"灾情稳定（{when.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}）", actor=actor, at=now)
    obligations.sync(db, incident, now=now)
    return incident


# --- exports -----------------------------------------------------------------------------------------------


def _area_names(db: Session) -> dict[str, str]:
    return {t.code: t.name for t in geo_service.region_infos(db=db, level="township")} | {DISTRICT: "全区合计"}


def as_json(db: Session, row: DisasterReport, incident: Incident) -> dict:
    """The report as exchanged: metadata, then one entry per area with every indicator and its label."""
    names = _area_names(db)
    order = sorted(row.figures, key=lambda a: (a == DISTRICT, a))
    return {
        "report": {"id": row.id, "number": row.number, "kind": row.kind, "kind_label": KIND_LABELS[row.kind],
                   "as_of": row.as_of.astimezone(UTC).isoformat(), "submitted_at": row.submitted_at.astimezone(UTC)
                   .isoformat(), "submitted_by": row.submitted_by, "late_minutes": row.late_minutes,
                   "note": row.note},
        "incident": {"id": incident.id, "title": incident.title, "kind": incident.kind,
                     "occurred_at": incident.occurred_at.astimezone(UTC).isoformat(), "drill": incident.drill},
        "indicators": disaster_reports.INDICATORS,
        "areas": [{"code": a, "name": names.get(a, a), "figures": row.figures[a]} for a in order],
        "reasons": row.reasons,
    }


COLUMNS = [excel.Column("area", "乡（镇、街道）"), excel.Column("code", "区划代码")] + [
    excel.Column(key, label, kind="decimal") for key, label in disaster_reports.INDICATORS.items()
]


def as_xlsx(db: Session, row: DisasterReport, incident: Incident) -> bytes:
    """自然灾害损失情况统计快报表: one row per township, the district total last; the report's facts in the
    sheet's title and a second sheet (the reasons for any figure lowered)."""
    names = _area_names(db)
    order = sorted(row.figures, key=lambda a: (a == DISTRICT, a))
    rows = [{"area": names.get(a, a), "code": a if a != DISTRICT else "",
             **{k: Decimal(v) for k, v in row.figures[a].items()}} for a in order]
    title = f"灾情{KIND_LABELS[row.kind]}第{row.number}号"
    data = excel.export(COLUMNS, rows, title=title)
    return _with_facts(data, row, incident)


def _with_facts(data: bytes, row: DisasterReport, incident: Incident) -> bytes:
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    facts = wb.create_sheet("报表说明")
    drill = "（演练）" if incident.drill else ""
    for label, value in [
        ("表名", "自然灾害损失情况统计快报表" + drill),
        ("报告类型", KIND_LABELS[row.kind]),
        ("报告序号", row.number),
        ("灾害事件", incident.title),
        ("统计截止时间（北京时间）", f"{row.as_of.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}"),
        ("报送时间（北京时间）", f"{row.submitted_at.astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}"),
        ("填报人", row.submitted_by),
        ("迟报（分钟）", row.late_minutes),
        ("依据", "自然灾害情况统计调查制度（应急〔2020〕19号）核心指标"),
    ] + [(f"核减原因 {k}", v) for k, v in row.reasons.items()]:
        excel.append(facts, [label, value])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
