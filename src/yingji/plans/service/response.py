"""The response from a plan during an incident (issue 15 point 6): the plans that apply to the incident —
by its kind, its place and, for an enterprise's plans, the enterprise — each with the response level its
data triggers and that level's task list. The incident is read through the incidents service (its scope and
permission rules apply: what the actor cannot see answers 404 there).

A level's ``trigger`` is data (``plan_plans.response_levels``); every condition in it must hold:
``min_deaths``, ``min_missing``, ``min_injured`` (serious injuries), ``min_trapped``, ``min_loss_yuan``
(at least), ``grades`` (the incident's grade among them), ``incident_kinds`` (its kind or class among them).
The triggered level is the highest (I before IV) whose conditions all hold. A level without conditions, or
with one this code does not know, is never triggered on its own: it is shown as not evaluated, with the
unknown name, rather than guessed."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require
from yingji.core.errors import Conflict, NotFound
from yingji.incidents import service as incidents_service
from yingji.plans.enums import ENTERPRISE_KINDS, PlanKind
from yingji.plans.models import Plan
from yingji.plans.service.common import read_condition

# Plans whose scope is every kind of incident in their area when they list no kinds (综合性预案).
ALL_KINDS = (PlanKind.general, PlanKind.township, PlanKind.village)
LEVEL_ORDER = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# The order suggestions come in after the triggered ones: the plan nearest the scene first.
NEAREST = {PlanKind.ent_on_site: 0, PlanKind.ent_card: 0, PlanKind.ent_special: 1, PlanKind.ent_comprehensive: 2,
           PlanKind.village: 3, PlanKind.township: 4, PlanKind.special: 5, PlanKind.department: 6,
           PlanKind.general: 7}


@dataclass(frozen=True)
class IncidentFacts:
    """What of an incident the triggers are matched against."""

    id: int
    title: str
    kind: str
    incident_class: str
    region_path: str
    region_code: str
    enterprise_id: int | None
    grade: str
    deaths: int
    missing: int
    serious_injuries: int
    trapped: int
    direct_loss_yuan: Decimal


def _facts(incident: Any) -> IncidentFacts:
    return IncidentFacts(incident.id, incident.title, incident.kind, incident.incident_class, incident.region_path,
                         incident.region_code, incident.enterprise_id, incident.grade or "", incident.deaths or 0,
                         incident.missing or 0, incident.serious_injuries or 0, incident.trapped or 0,
                         Decimal(incident.direct_loss_yuan or 0))


MINIMA = {"min_deaths": "deaths", "min_missing": "missing", "min_injured": "serious_injuries",
          "min_trapped": "trapped", "min_loss_yuan": "direct_loss_yuan"}


def check_trigger(trigger: dict[str, Any], facts: IncidentFacts) -> tuple[bool, list[str]]:
    """(all conditions hold, names of conditions not understood). Empty: not triggered."""
    if not trigger:
        return False, []
    unknown: list[str] = []
    held = True
    for key, want in trigger.items():
        if key in MINIMA:
            try:
                held &= Decimal(str(getattr(facts, MINIMA[key]))) >= Decimal(str(want))
            except ArithmeticError:
                unknown.append(key)
        elif key == "grades":
            held &= facts.grade in [str(g) for g in (want if isinstance(want, list) else [want])]
        elif key == "incident_kinds":
            kinds = want if isinstance(want, list) else [want]
            held &= facts.kind in kinds or facts.incident_class in kinds
        else:
            unknown.append(key)
    return held and not unknown, unknown


@dataclass(frozen=True)
class Suggestion:
    plan: Plan
    why: list[str]  # why the plan applies (kind, place, enterprise)
    level: dict[str, Any] | None  # the triggered response level, or None
    tasks: list[str]  # the triggered level's tasks
    unknown: list[str] = field(default_factory=list)  # trigger conditions not understood


def applies(plan: Plan, facts: IncidentFacts) -> list[str]:
    """Why the plan applies to the incident (empty: it does not)."""
    why: list[str] = []
    if plan.incident_kinds:
        if facts.kind not in plan.incident_kinds and facts.incident_class not in plan.incident_kinds:
            return []
        why.append("事件类型在预案适用范围内")
    elif plan.kind not in ALL_KINDS and plan.kind not in ENTERPRISE_KINDS:
        return []  # a special or department plan that names no kinds cannot be matched
    codes = set(facts.region_path.split("/")) | {facts.region_code}
    if plan.kind in ENTERPRISE_KINDS:
        if facts.enterprise_id is not None and facts.enterprise_id == plan.enterprise_id:
            why.append("事发企业的预案")
        elif plan.area_codes and codes & set(plan.area_codes):
            why.append("事发地在预案适用区域内")
        else:
            return []
    elif plan.area_codes:
        if not codes & set(plan.area_codes):
            return []
        why.append("事发地在预案适用区域内")
    else:
        if not (facts.region_path == plan.region_path or facts.region_path.startswith(plan.region_path + "/")):
            return []
        why.append("事发地在预案编制单位辖区内")
    return why


def _triggered(plan: Plan, facts: IncidentFacts) -> tuple[dict[str, Any] | None, list[str]]:
    unknown: list[str] = []
    for level in sorted(plan.response_levels, key=lambda r: LEVEL_ORDER.get(str(r.get("level")), 99)):
        held, odd = check_trigger(level.get("trigger") or {}, facts)
        unknown += odd
        if held:
            return level, unknown
    return None, unknown


def suggestions(*, db: Session, actor: Actor, incident_id: int) -> tuple[IncidentFacts, list[Suggestion]]:
    """The incident as read through its own capability, and the plans the actor sees that apply to it:
    triggered ones first (the highest level first), then the plan nearest the scene."""
    require(actor, "plans.read")
    facts = _facts(incidents_service.get_incident(db=db, actor=actor, incident_id=incident_id))
    out = []
    for plan in db.scalars(select(Plan).where(read_condition(actor, Plan.region_path, Plan.enterprise_id),
                                              Plan.status == "in_force").order_by(Plan.id)):
        why = applies(plan, facts)
        if why:
            level, unknown = _triggered(plan, facts)
            out.append(Suggestion(plan, why, level, list(level.get("tasks", [])) if level else [],
                                  sorted(set(unknown))))
    out.sort(key=lambda s: (s.level is None, LEVEL_ORDER.get(str((s.level or {}).get("level")), 99),
                            NEAREST.get(s.plan.kind, 9), s.plan.id))  # type: ignore[call-overload]
    return facts, out


def adopt_tasks(*, db: Session, actor: Actor, incident_id: int, plan_id: int) -> tuple[list[Any], int]:
    """The commander's one step: the tasks of the level an applicable plan triggers become incident tasks,
    through the incidents service (its command right and scope apply), assigned to the plan's owner, each
    naming the plan and level it came from. A task already adopted from the same plan and level is not
    added twice. Returns (the incident tasks created, how many were already there)."""
    _facts, rows = suggestions(db=db, actor=actor, incident_id=incident_id)
    found = next((s for s in rows if s.plan.id == plan_id), None)
    if found is None:
        raise NotFound("该预案不适用于此事件")
    if found.level is None or not found.tasks:
        raise Conflict("该预案未达到任何响应级别的启动条件，没有可转为事件任务的任务")
    level = found.level.get("label") or found.level.get("level")
    basis = f"依据《{found.plan.title}》（{found.plan.code}）{level}"
    existing = {(t.title, t.detail) for t in incidents_service.workspace(db=db, actor=actor,
                                                                         incident_id=incident_id)["tasks"]}
    kind = "township" if found.plan.kind in (PlanKind.township, PlanKind.village) else "department"
    created, skipped = [], 0
    for title in found.tasks:
        if (title.strip()[:200], basis) in existing:
            skipped += 1
            continue
        created.append(incidents_service.create_task(db=db, actor=actor, incident_id=incident_id, title=title,
                                                     assignee_kind=kind, assignee=found.plan.owner_name,
                                                     detail=basis))
    return created, skipped
