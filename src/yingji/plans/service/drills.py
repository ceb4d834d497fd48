"""Drills (演练): plan, record (attendance, step times, photos), evaluate (AQ/T 9009: preparation,
execution, effect, problems); findings become follow-up actions with owners and deadlines and may call
for a revision. The required frequencies (``standards.drill_rule``) are checked per plan and per unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core import files
from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.errors import Conflict, NotFound, invalid
from yingji.core.pagination import PageParams, paginate
from yingji.plans.enums import DRILL_TYPE_OF_KIND, PlanKind
from yingji.plans.models import Drill, DrillAction, Plan, RevisionTrigger
from yingji.plans.schemas import DrillCreate, DrillEvaluation, DrillRecord
from yingji.plans.service.common import (
    ensure_readable,
    ensure_writable,
    local_today,
    read_condition,
    writable_plan,
)
from yingji.plans.standards import DrillRule, drill_gap, drill_rule


def create_drill(*, db: Session, actor: Actor, data: DrillCreate, source: str = "plans") -> Drill:
    plan = writable_plan(db, actor, data.plan_id)
    drill = Drill(plan_id=plan.id, region_path=plan.region_path, enterprise_id=plan.enterprise_id,
                  unit_name=plan.owner_name, kind=data.kind, scenario=data.scenario, planned_on=data.planned_on,
                  participants=data.participants, source=source, created_at=utcnow())
    db.add(drill)
    db.flush()
    return drill


def get_drill(*, db: Session, actor: Actor, drill_id: int) -> Drill:
    require(actor, "plans.read")
    drill = db.get(Drill, drill_id)
    if drill is None:
        raise NotFound("演练不存在")
    ensure_readable(actor, region_path=drill.region_path, enterprise_id=drill.enterprise_id, what="演练")
    return drill


def writable_drill(*, db: Session, actor: Actor, drill_id: int) -> Drill:
    """A drill the actor may change (404 unseen, 403 not its own to change)."""
    return _writable_drill(db, actor, drill_id)


def _writable_drill(db: Session, actor: Actor, drill_id: int) -> Drill:
    drill = get_drill(db=db, actor=actor, drill_id=drill_id)
    require(actor, "plans.write")
    ensure_writable(actor, region_path=drill.region_path, enterprise_id=drill.enterprise_id, what="演练")
    return drill


def record_drill(*, db: Session, actor: Actor, drill_id: int, data: DrillRecord) -> Drill:
    drill = _writable_drill(db, actor, drill_id)
    if data.held_on > local_today():
        raise invalid("held_on", "实施日期不能晚于今天")
    # Photos already on this drill were checked when linked (perhaps by a colleague): only new ones must be
    # the actor's own uploads.
    files.ensure_linkable(db, actor, [i for i in data.photo_ids if i not in drill.photo_ids], field="photo_ids")
    drill.photo_ids = list(dict.fromkeys(data.photo_ids))
    drill.held_on, drill.attendance = data.held_on, data.attendance
    drill.steps = [{"name": s.name, "at": s.at.isoformat()} for s in sorted(data.steps, key=lambda s: s.at)]
    drill.reported_to_county = data.reported_to_county
    if drill.status == "planned":
        drill.status = "held"
    db.flush()
    return drill


def evaluate_drill(*, db: Session, actor: Actor, drill_id: int, data: DrillEvaluation) -> Drill:
    drill = _writable_drill(db, actor, drill_id)
    if drill.held_on is None:
        raise Conflict("演练尚未实施，不能评估", details=[])
    drill.evaluation = {"preparation": data.preparation, "execution": data.execution, "effect": data.effect,
                        "problems": list(data.problems)}
    drill.requires_revision = data.requires_revision
    drill.status = "evaluated"
    for a in data.actions:
        db.add(DrillAction(drill_id=drill.id, finding=a.finding, action=a.action, owner=a.owner, due_on=a.due_on))
    if data.requires_revision and drill.plan_id is not None:
        # 第三十五条(五): problems found in a drill call for an evaluation now.
        db.add(RevisionTrigger(plan_id=drill.plan_id, code="problems_found", occurred_on=drill.held_on,
                               note="演练评估发现问题：" + "；".join(data.problems)[:480], drill_id=drill.id,
                               created_at=utcnow()))
    db.flush()
    return drill


def record_incident_drill(*, db: Session, actor: Actor, plan_id: int, held_on: date, scenario: str,
                          kind: str = "functional") -> Drill:
    """A drill run in the incidents capability's drill mode, counted here as held on ``held_on``."""
    drill = create_drill(db=db, actor=actor, data=DrillCreate(plan_id=plan_id, kind=kind, scenario=scenario,  # type: ignore[arg-type]
                                                              planned_on=held_on), source="incidents")
    drill.held_on, drill.status = held_on, "held"
    db.flush()
    return drill


def record_drill_run(*, db: Session, actor: Actor, drill_id: int, held_on: date,
                     steps: list[tuple[str, datetime]], note: str = "") -> Drill:
    """A drill record held through the incidents capability's drill mode (a scenario run): held on
    ``held_on`` with each step's finishing time; an evaluated record keeps its evaluation."""
    drill = _writable_drill(db, actor, drill_id)
    drill.held_on = held_on
    drill.steps = [{"name": name[:100], "at": at.isoformat()} for name, at in sorted(steps, key=lambda s: s[1])]
    drill.source = "incidents"
    if note and note not in drill.scenario:
        drill.scenario = f"{drill.scenario}\n{note}".strip()
    if drill.status == "planned":
        drill.status = "held"
    db.flush()
    return drill


def list_drills(*, db: Session, actor: Actor, page: PageParams, plan_id: int | None = None,
                status: str | None = None) -> tuple[list[Drill], int]:
    require(actor, "plans.read")
    query = select(Drill).where(read_condition(actor, Drill.region_path, Drill.enterprise_id))
    if plan_id is not None:
        query = query.where(Drill.plan_id == plan_id)
    if status:
        query = query.where(Drill.status == status)
    return paginate(db, query.order_by(Drill.planned_on.desc(), Drill.id.desc()), page)


def actions(*, db: Session, actor: Actor, drill_id: int) -> list[DrillAction]:
    drill = get_drill(db=db, actor=actor, drill_id=drill_id)
    return list(db.scalars(select(DrillAction).where(DrillAction.drill_id == drill.id).order_by(DrillAction.id)))


def complete_action(*, db: Session, actor: Actor, action_id: int, done_on: date) -> DrillAction:
    action = db.get(DrillAction, action_id)
    if action is None:
        raise NotFound("整改措施不存在")
    _writable_drill(db, actor, action.drill_id)
    action.done_on = done_on
    db.flush()
    return action


@dataclass(frozen=True)
class GapRow:
    unit_name: str
    enterprise_id: int | None
    region_path: str
    plan: Plan | None  # None: a check over the unit's plans together
    rule: DrillRule
    status: str  # ok / due / overdue
    missed_period: tuple[date, date] | None
    due_by: date
    last_drill: date | None
    unreported: int  # high-risk units: held drills not reported to the county


def _since(plan: Plan) -> date:
    return plan.published_on or plan.created_at.date()


def drill_gaps(*, db: Session, actor: Actor, today: date | None = None, only_gaps: bool = False) -> list[GapRow]:
    """Per government plan its own rule; per enterprise one check over its 综合 and 专项 plans (a drill of
    either counts; a high-risk unit every half year over all its plans) and one per 现场处置方案."""
    require(actor, "plans.read")
    today = today or local_today()
    plans = list(db.scalars(select(Plan).where(read_condition(actor, Plan.region_path, Plan.enterprise_id),
                                                Plan.status == "in_force").order_by(Plan.id)))
    held: dict[int, list[Drill]] = {p.id: [] for p in plans}
    for d in db.scalars(select(Drill).where(Drill.plan_id.in_(list(held)), Drill.held_on.is_not(None))):
        held[d.plan_id].append(d)  # type: ignore[index]

    def row(unit_plans: list[Plan], rule: DrillRule, plan: Plan | None) -> GapRow:
        drills = [d for p in unit_plans for d in held[p.id]]
        dates = [d.held_on for d in drills if d.held_on]
        gap = drill_gap(rule=rule, drills=dates, today=today, since=min(_since(p) for p in unit_plans))
        first = unit_plans[0]
        unreported = sum(1 for d in drills if not d.reported_to_county) if rule.high_risk else 0
        return GapRow(first.owner_name, first.enterprise_id, first.region_path, plan, rule, gap.status,
                      gap.missed_period, gap.due_by, max(dates, default=None), unreported)

    rows: list[GapRow] = []
    units: dict[int, list[Plan]] = {}
    for p in plans:
        if p.enterprise_id is not None:
            units.setdefault(p.enterprise_id, []).append(p)
        elif p.kind in DRILL_TYPE_OF_KIND:
            owner, plan_type = DRILL_TYPE_OF_KIND[p.kind]  # type: ignore[index]
            rule = drill_rule(owner=owner, plan_type=plan_type)
            if rule:
                rows.append(row([p], rule, p))
    for unit in units.values():
        high = unit[0].high_risk
        main = [p for p in unit if p.kind in (PlanKind.ent_comprehensive, PlanKind.ent_special)]
        if high and unit:
            rows.append(row([p for p in unit if p.kind in DRILL_TYPE_OF_KIND] or unit,
                            drill_rule(owner="enterprise", plan_type="comprehensive", high_risk=True), None))  # type: ignore[arg-type]
        elif main:
            rows.append(row(main, drill_rule(owner="enterprise", plan_type="comprehensive"), None))  # type: ignore[arg-type]
        for p in unit:
            if p.kind == PlanKind.ent_on_site:
                rows.append(row([p], drill_rule(owner="enterprise", plan_type="on_site", high_risk=high), p))  # type: ignore[arg-type]
    if only_gaps:
        rows = [r for r in rows if r.status != "ok"]
    order = {"overdue": 0, "due": 1, "ok": 2}
    return sorted(rows, key=lambda r: (order[r.status], r.due_by, r.unit_name))
