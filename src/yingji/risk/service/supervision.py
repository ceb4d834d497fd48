"""Supervision by risk (差异化监管): each enterprise's level and hazard record, the inspection frequency
they call for, and the district view by level, industry and township with trends."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, path_within, require
from yingji.core.clock import LOCAL_TZ, to_local, utcnow
from yingji.core.pagination import PageParams
from yingji.geo import service as geo_service
from yingji.registry import service as registry_service
from yingji.risk import standards
from yingji.risk.enums import OPEN_STATUSES, UNRECTIFIED_STATUSES, HazardGrade, HazardStatus, RiskLevel
from yingji.risk.models import Hazard
from yingji.risk.service.common import enterprise_in_scope, township_path
from yingji.risk.service.hazards import scoped_query
from yingji.risk.service.points import levels_by_enterprise


@dataclass(frozen=True)
class EnterpriseRisk:
    enterprise_id: int
    name: str
    industry: str
    region_path: str
    township_code: str
    lon: float | None
    lat: float | None
    level: str | None
    open_hazards: int
    open_major: int
    overdue: int
    inspections_per_year: int
    interval_days: int
    reason: str

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _hazard_counts(db: Session, enterprise_ids: list[int] | None) -> dict[int, tuple[int, int, int]]:
    now = utcnow()
    q = select(Hazard.enterprise_id, Hazard.grade, Hazard.status, Hazard.deadline).where(
        Hazard.enterprise_id.is_not(None), Hazard.status.in_([s.value for s in OPEN_STATUSES])
    )
    if enterprise_ids is not None:
        q = q.where(Hazard.enterprise_id.in_(enterprise_ids))
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for eid, grade, status, deadline in db.execute(q):
        c = counts[eid]
        c[0] += 1
        c[1] += grade == HazardGrade.major
        c[2] += bool(deadline is not None and deadline < now and status in UNRECTIFIED_STATUSES)
    return {k: tuple(v) for k, v in counts.items()}


def _build(infos: list, db: Session) -> list[EnterpriseRisk]:
    ids = [e.id for e in infos]
    levels = levels_by_enterprise(db, ids if len(ids) < 900 else None)
    hazards = _hazard_counts(db, ids if len(ids) < 900 else None)
    out = []
    for e in infos:
        level = levels.get(e.id)
        open_all, open_major, overdue = hazards.get(e.id, (0, 0, 0))
        per_year, reason = standards.inspection_frequency(level, open_major=open_major, overdue=overdue)
        out.append(
            EnterpriseRisk(
                e.id,
                e.name,
                e.industry,
                e.region_path,
                township_path(e.region_path).split("/")[-1],
                e.lon,
                e.lat,
                level.value if level else None,
                open_all,
                open_major,
                overdue,
                per_year,
                365 // per_year,
                reason,
            )
        )
    return out


def _scoped_enterprises(db: Session, actor: Actor, industry: str | None, township_code: str | None) -> list:
    out, page = [], 1
    while True:
        rows, total = registry_service.list_enterprises(
            db=db,
            actor=actor,
            page=PageParams(page=page, page_size=500),
            industry=industry or None,
            region_code=township_code or None,
        )
        out += rows
        if page * 500 >= total:
            return out
        page += 1


def enterprise_risks(
    *,
    db: Session,
    actor: Actor,
    industry: str | None = None,
    township_code: str | None = None,
    level: str | None = None,
) -> list[EnterpriseRisk]:
    require(actor, "risk.read")
    rows = _build(_scoped_enterprises(db, actor, industry, township_code), db)
    if level:
        rows = [r for r in rows if (r.level or "none") == level]
    order = {"red": 0, "orange": 1, "yellow": 2, "blue": 3, None: 4}
    return sorted(rows, key=lambda r: (order[r.level], -r.open_hazards, r.enterprise_id))


def enterprise_risk(*, db: Session, actor: Actor, enterprise_id: int) -> EnterpriseRisk:
    require(actor, "risk.read")
    info = enterprise_in_scope(db, actor, enterprise_id)
    return _build([info], db)[0]


def inspection_frequencies(*, db: Session, enterprise_ids: list[int]) -> dict[int, EnterpriseRisk]:
    """For the enforcement capability (no permission check: it checks its own): the inspection frequency
    each enterprise's risk level and hazard record call for."""
    infos = [registry_service.enterprise_info(db=db, enterprise_id=i) for i in enterprise_ids]
    return {r.enterprise_id: r for r in _build(infos, db)}


def district_view(*, db: Session, actor: Actor, industry: str | None = None, township_code: str | None = None) -> dict:
    """Counts by level, by industry × level and by township × level, and 12 months of hazard trends."""
    rows = enterprise_risks(db=db, actor=actor, industry=industry, township_code=township_code)
    by_level = Counter(r.level or "none" for r in rows)
    by_industry: dict[str, Counter] = defaultdict(Counter)
    by_township: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        by_industry[r.industry][r.level or "none"] += 1
        by_township[r.township_code][r.level or "none"] += 1
    names = {t.code: t.name for t in geo_service.region_infos(db=db, level="township")}
    return {
        "total": len(rows),
        "by_level": {lv: by_level.get(lv, 0) for lv in [*RiskLevel, "none"]},
        "by_industry": {k: dict(v) for k, v in sorted(by_industry.items())},
        "by_township": {names.get(k, k): dict(v) for k, v in sorted(by_township.items())},
        "trend": hazard_trend(db=db, actor=actor, township_code=township_code),
        "rows": rows,
    }


def hazard_trend(*, db: Session, actor: Actor, township_code: str | None = None, months: int = 12) -> dict:
    """Hazards found and closed per month (Asia/Shanghai months), the last ``months`` months."""
    now_local = to_local(utcnow())
    keys = []
    y, m = now_local.year, now_local.month
    for _ in range(months):
        keys.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    keys.reverse()
    since = utcnow() - timedelta(days=31 * months + 31)
    q = scoped_query(actor).where(Hazard.found_at >= since)
    if township_code:
        q = q.where(path_within(Hazard.region_path, geo_service.region_info(db=db, code=township_code).path))
    found, closed, major = Counter(), Counter(), Counter()
    for h in db.scalars(q):
        found[to_local(h.found_at).strftime("%Y-%m")] += 1
        major[to_local(h.found_at).strftime("%Y-%m")] += h.grade == HazardGrade.major
        if h.closed_at:
            closed[to_local(h.closed_at).strftime("%Y-%m")] += 1
    return {
        "months": keys,
        "found": [found.get(k, 0) for k in keys],
        "major": [major.get(k, 0) for k in keys],
        "closed": [closed.get(k, 0) for k in keys],
    }


def open_counts(*, db: Session, actor: Actor) -> dict[str, int]:
    """For the dashboard card: open, major open, overdue, supervised."""
    require(actor, "risk.read")
    now = utcnow()
    sub = scoped_query(actor).where(Hazard.status.in_([s.value for s in OPEN_STATUSES])).subquery()
    total = db.scalar(select(func.count()).select_from(sub)) or 0
    major = db.scalar(select(func.count()).select_from(sub).where(sub.c.grade == HazardGrade.major)) or 0
    overdue = (
        db.scalar(
            select(func.count())
            .select_from(sub)
            .where(sub.c.deadline < now, sub.c.status.in_([s.value for s in UNRECTIFIED_STATUSES]))
        )
        or 0
    )
    supervised = db.scalar(select(func.count()).select_from(sub).where(sub.c.supervised.is_(True))) or 0
    return {"open": total, "major": major, "overdue": overdue, "supervised": supervised}


# The plan's 事故隐患整改率: of the hidden hazards found (confirmed as hazards: not a report still waiting for
# its check, not one rejected as no hazard), those whose rectification is done — rectified and waiting for
# acceptance, accepted, or closed. A reopened hazard is not rectified any more.
NOT_YET_A_HAZARD = (HazardStatus.reported, HazardStatus.rejected)
RECTIFIED_STATUSES = (HazardStatus.rectified, HazardStatus.verified, HazardStatus.closed)


def rectification(*, db: Session, actor: Actor, year: int | None = None) -> tuple[int, int]:
    """(rectified, found) in the actor's scope, of the hazards found in ``year`` (Beijing time) or of all."""
    require(actor, "risk.read")
    query = scoped_query(actor).where(Hazard.status.not_in([s.value for s in NOT_YET_A_HAZARD]))
    if year is not None:
        start = datetime(year, 1, 1, tzinfo=LOCAL_TZ).astimezone(UTC)
        end = datetime(year + 1, 1, 1, tzinfo=LOCAL_TZ).astimezone(UTC)
        query = query.where(Hazard.found_at >= start, Hazard.found_at < end)
    sub = query.subquery()
    found = db.scalar(select(func.count()).select_from(sub)) or 0
    done = db.scalar(select(func.count()).select_from(sub).where(
        sub.c.status.in_([s.value for s in RECTIFIED_STATUSES]))) or 0
    return done, found
