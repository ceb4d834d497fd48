"""Enforcement figures (issue 14 point 9, in part) in the actor's scope, each with the link to its records:
inspections and findings, cases by step, overdue open cases (past the legal clock's case length), and fines
decided by township and by month."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require
from yingji.core.clock import to_local, utcnow
from yingji.core.pagination import PageParams
from yingji.enforcement import case_procedure as rules
from yingji.enforcement.service import cases as case_service
from yingji.enforcement.service import inspections as inspection_service
from yingji.enforcement.service import roster
from yingji.enforcement.service.common import calendar, region_names, township_of
from yingji.registry import service as registry_service
from yingji.risk import service as risk_service

RECTIFIED = {"rectified", "verified", "closed"}  # the risk capability's states after rectification
NOT_A_HAZARD = {"rejected"}


@dataclass
class Figures:
    inspections: int = 0
    findings: int = 0
    cases_by_step: dict[str, int] = field(default_factory=dict)
    overdue: list[tuple[int, str]] = field(default_factory=list)  # (case id, case no)
    fines_by_township: dict[str, Decimal] = field(default_factory=dict)
    fines_by_month: dict[str, Decimal] = field(default_factory=dict)
    # rectification (rectified / found): hazards made from findings, their states from the risk service
    found: int = 0
    rectified: int = 0
    rectification_by_industry: dict[str, list[int]] = field(default_factory=dict)  # → [rectified, found]
    rectification_by_township: dict[str, list[int]] = field(default_factory=dict)
    rectification_by_month: dict[str, list[int]] = field(default_factory=dict)
    # 专栏4: enforcement staff with a relevant qualification (target ≥ 80 %), equipment fitted (target 100 %)
    staff: int = 0
    qualified: int = 0
    equipped: int = 0

    @staticmethod
    def rate(num: int, den: int) -> float | None:
        return round(num / den, 4) if den else None

    @property
    def rectification_rate(self) -> float | None:
        return self.rate(self.rectified, self.found)

    @property
    def qualified_rate(self) -> float | None:
        return self.rate(self.qualified, self.staff)

    @property
    def equipment_rate(self) -> float | None:
        return self.rate(self.equipped, self.staff)


def figures(*, db: Session, actor: Actor) -> Figures:
    require(actor, "enforcement.read")
    out = Figures()
    rows = inspection_service.list_inspections(db=db, actor=actor)
    out.inspections = len(rows)
    found = [(r, f) for r in rows for f in inspection_service.findings(db, r)]
    out.findings = len(found)
    _rectification(db, out, found)
    out.staff, out.qualified, out.equipped = roster.staff_counts(db=db, actor=actor)
    # list_cases pages; the figures need every case in scope
    total = case_service.list_cases(db=db, actor=actor, page=PageParams(page=1, page_size=1))[1]
    every: list = []
    page = 1
    while len(every) < total:
        chunk, _ = case_service.list_cases(db=db, actor=actor, page=PageParams(page=page, page_size=500))
        if not chunk:
            break
        every += chunk
        page += 1
    steps = Counter(c.step for c in every)
    out.cases_by_step = {s: steps[s] for s in rules.STEPS if steps[s]}
    now, cal = utcnow(), calendar(db)
    names = region_names(db)
    by_town: Counter = Counter()
    by_month: Counter = Counter()
    for c in every:
        if c.step != "closed" and rules.case_deadline(case_service.facts(c), cal).due_at <= now:
            out.overdue.append((c.id, c.case_no))
        if c.decided_at is not None:
            by_town[names.get(township_of(c.region_path), township_of(c.region_path))] += Decimal(c.amount_yuan)
            by_month[to_local(c.decided_at).strftime("%Y-%m")] += Decimal(c.amount_yuan)
    out.fines_by_township = dict(sorted(by_town.items()))
    out.fines_by_month = dict(sorted(by_month.items()))
    return out


def _rectification(db: Session, out: Figures, found: list) -> None:
    """Rectified / found over the hazards made from findings (a rejected one is not a hazard found)."""
    states = risk_service.hazard_statuses(db, [f.hazard_id for _, f in found if f.hazard_id])
    names = region_names(db)
    industries: dict[int, str] = {}
    groups = (out.rectification_by_industry, out.rectification_by_township, out.rectification_by_month)
    for inspection, f in found:
        status = states.get(f.hazard_id) if f.hazard_id else None
        if status is None or status in NOT_A_HAZARD:
            continue
        if inspection.enterprise_id not in industries:
            industries[inspection.enterprise_id] = registry_service.enterprise_info(
                db=db, enterprise_id=inspection.enterprise_id).industry
        town = township_of(inspection.region_path)
        keys = (industries[inspection.enterprise_id], names.get(town, town), to_local(f.created_at).strftime("%Y-%m"))
        done = status in RECTIFIED
        out.found += 1
        out.rectified += done
        for group, k in zip(groups, keys, strict=True):
            cell = group.setdefault(k, [0, 0])
            cell[0] += done
            cell[1] += 1
    for group in groups:
        ordered = dict(sorted(group.items()))
        group.clear()
        group.update(ordered)
