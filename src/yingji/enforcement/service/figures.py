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
from yingji.enforcement.service.common import calendar, region_names, township_of


@dataclass
class Figures:
    inspections: int = 0
    findings: int = 0
    cases_by_step: dict[str, int] = field(default_factory=dict)
    overdue: list[tuple[int, str]] = field(default_factory=list)  # (case id, case no)
    fines_by_township: dict[str, Decimal] = field(default_factory=dict)
    fines_by_month: dict[str, Decimal] = field(default_factory=dict)


def figures(*, db: Session, actor: Actor) -> Figures:
    require(actor, "enforcement.read")
    out = Figures()
    rows = inspection_service.list_inspections(db=db, actor=actor)
    out.inspections = len(rows)
    out.findings = sum(len(inspection_service.findings(db, r)) for r in rows)
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
