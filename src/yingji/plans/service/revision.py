"""Evaluation and revision (第三十四条–第三十六条): each plan's next evaluation date — three years from its
publication or last evaluation, earlier at the first revision trigger since — the triggers, the
evaluations, and the overview of plans due or overdue by owner and township."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core import events
from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.errors import invalid
from yingji.plans.events import PlanEvaluationDue
from yingji.plans.models import Evaluation, Plan, RevisionTrigger
from yingji.plans.schemas import EvaluationCreate, TriggerCreate
from yingji.plans.service.common import get_plan, local_today, read_condition, township_of, writable_plan
from yingji.plans.standards import next_evaluation

REMIND_DAYS = 60  # evaluations due within this many days are listed as due soon and reminded


@dataclass(frozen=True)
class EvaluationDue:
    plan: Plan
    due_on: date | None  # None: the plan has no publication date yet
    reason: str
    state: str  # "ok" | "due_soon" | "overdue" | "unknown"


def _evaluation(plan: Plan, triggers: list[RevisionTrigger], today: date) -> EvaluationDue:
    since = max(d for d in (plan.published_on, plan.last_evaluated_on) if d is not None) \
        if (plan.published_on or plan.last_evaluated_on) else None
    if since is None:
        return EvaluationDue(plan, None, "尚未登记发布日期", "unknown")
    due, reason = next_evaluation(since=since, triggers=[(t.code, t.occurred_on) for t in triggers])
    state = "overdue" if due < today else "due_soon" if due <= today + timedelta(days=REMIND_DAYS) else "ok"
    return EvaluationDue(plan, due, reason, state)


def _triggers_by_plan(db: Session, plan_ids: list[int]) -> dict[int, list[RevisionTrigger]]:
    out: dict[int, list[RevisionTrigger]] = {i: [] for i in plan_ids}
    for t in db.scalars(select(RevisionTrigger).where(RevisionTrigger.plan_id.in_(plan_ids))):
        out[t.plan_id].append(t)
    return out


def evaluation_due(*, db: Session, actor: Actor, plan_id: int, today: date | None = None) -> EvaluationDue:
    plan = get_plan(db, actor, plan_id)
    return _evaluation(plan, _triggers_by_plan(db, [plan.id])[plan.id], today or local_today())


def add_trigger(*, db: Session, actor: Actor, plan_id: int, data: TriggerCreate, drill_id: int | None = None
                ) -> RevisionTrigger:
    plan = writable_plan(db, actor, plan_id)
    if data.occurred_on > local_today():
        raise invalid("occurred_on", "日期不能晚于今天")
    row = RevisionTrigger(plan_id=plan.id, code=data.code, occurred_on=data.occurred_on, note=data.note,
                          drill_id=drill_id, created_at=utcnow())
    db.add(row)
    db.flush()
    return row


def list_triggers(*, db: Session, actor: Actor, plan_id: int) -> list[RevisionTrigger]:
    plan = get_plan(db, actor, plan_id)
    return list(db.scalars(select(RevisionTrigger).where(RevisionTrigger.plan_id == plan.id)
                           .order_by(RevisionTrigger.occurred_on.desc())))


def record_evaluation(*, db: Session, actor: Actor, plan_id: int, data: EvaluationCreate) -> Evaluation:
    """An evaluation restarts the three years; triggers before it are answered by it."""
    plan = writable_plan(db, actor, plan_id)
    if data.evaluated_on > local_today():
        raise invalid("evaluated_on", "日期不能晚于今天")
    row = Evaluation(plan_id=plan.id, evaluated_on=data.evaluated_on, conclusion=data.conclusion, note=data.note,
                     created_at=utcnow())
    db.add(row)
    if plan.last_evaluated_on is None or data.evaluated_on > plan.last_evaluated_on:
        plan.last_evaluated_on = data.evaluated_on
    db.flush()
    return row


def list_evaluations(*, db: Session, actor: Actor, plan_id: int) -> list[Evaluation]:
    plan = get_plan(db, actor, plan_id)
    return list(db.scalars(select(Evaluation).where(Evaluation.plan_id == plan.id)
                           .order_by(Evaluation.evaluated_on.desc())))


def evaluations_due(*, db: Session, actor: Actor, today: date | None = None, states: tuple[str, ...] =
                    ("overdue", "due_soon", "unknown")) -> list[EvaluationDue]:
    require(actor, "plans.read")
    plans = list(db.scalars(select(Plan).where(read_condition(actor, Plan.region_path, Plan.enterprise_id),
                                                Plan.status == "in_force")))
    triggers = _triggers_by_plan(db, [p.id for p in plans])
    today = today or local_today()
    rows = [_evaluation(p, triggers[p.id], today) for p in plans]
    rows = [r for r in rows if r.state in states]
    return sorted(rows, key=lambda r: (r.due_on or date.max, r.plan.id))


def overview_by_township(*, db: Session, actor: Actor, today: date | None = None) -> dict[str, dict[str, int]]:
    """Township path (or the district's) → counts of plans overdue / due soon, by owner type."""
    out: dict[str, dict[str, int]] = {}
    for r in evaluations_due(db=db, actor=actor, today=today, states=("overdue", "due_soon")):
        key = township_of(r.plan.region_path)
        counts = out.setdefault(key, {"overdue": 0, "due_soon": 0})
        counts[r.state] += 1
        counts[f"{r.plan.owner_type}:{r.state}"] = counts.get(f"{r.plan.owner_type}:{r.state}", 0) + 1
    return out


def remind_evaluations(*, db: Session, actor: Actor, today: date | None = None) -> int:
    """Publishes ``PlanEvaluationDue`` once per plan and due date (and once more when it turns overdue)."""
    n = 0
    for r in evaluations_due(db=db, actor=actor, today=today, states=("overdue", "due_soon")):
        p = r.plan
        assert r.due_on is not None
        events.publish(db, PlanEvaluationDue(p.id, p.title, p.region_path, p.enterprise_id, r.due_on, r.reason,
                                             r.state == "overdue"),
                       event_id=f"plan-eval-{p.id}-{r.due_on:%Y%m%d}-{r.state}")
        n += 1
    return n
