"""Coverage: of the recipients targeted, how many were reached (on any channel), per channel and per
village, and how long it took to reach 50 %, 90 % and 100 % of them after publication."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.geo import service as geo_service
from yingji.warnings.enums import DeliveryStatus, Status
from yingji.warnings.models import Delivery, WarningCoverage, WarningMessage
from yingji.warnings.service import area_broadcast, coverage_queries
from yingji.warnings.service.access import load, visible
from yingji.warnings.standards import CHINA


def _need(fraction: float, total: int) -> int:
    """Recipients to reach for ``fraction`` of ``total`` (at least one; rounded so that 90 % of 10 is 9)."""
    return max(1, -(-int(round(fraction * total * 1000)) // 1000)) if total else 0


FRACTIONS = (0.5, 0.9, 1.0)


def _positions(published: datetime | None, total: int) -> dict[str, int]:
    return {f"{int(f * 100)}": _need(f, total) for f in FRACTIONS} if published is not None else {}


def _time_to(published: datetime | None, needs: dict[str, int], at: dict[int, datetime]) -> dict:
    """Seconds from publication to the recipient at each position; none for a position not reached."""
    keys = [f"{int(f * 100)}" for f in FRACTIONS]
    return {
        k: max(0, int((at[needs[k]] - published).total_seconds())) if k in needs and needs[k] in at else None
        for k in keys
    }


def for_warning(*, db: Session, actor: Actor, warning_id: int) -> dict[str, Any]:
    """The coverage of one warning, by a few aggregate queries (``coverage_queries``): the same figures
    as reading every delivery row, without reading them (600,000 for a district-wide warning)."""
    w = load(db, actor, warning_id)
    cov = db.get(WarningCoverage, w.id)
    # Per channel every row counts once: a fallback row (a recipient's next channel after the first
    # failed) is a target of its channel too, so that sent + failed + pending = targeted on each line.
    # The running figures are kept with the rows of every warning published by the app (its coverage row
    # written at publication); rows without them are counted.
    by_channel = (
        coverage_queries.by_channel(db, w.id) if cov is not None else coverage_queries.by_channel_from_rows(db, w.id)
    )
    expanding = bool(cov and cov.expanding)

    def targets(with_rows: int) -> int:  # rows still being written: the missing ones are not reached (yet)
        return max(with_rows, cov.expected) if expanding else with_rows

    # The positions of 50/90/100 % from the running figures' recipients, checked against the rows' below.
    guess = _positions(w.published_at, targets(cov.recipients) if cov is not None else 0)
    found, at = coverage_queries.recipients(db, w.id, [n for n in guess.values() if n])
    total, reached = targets(found.targeted), found.reached
    needs = _positions(w.published_at, total)
    if needs != guess:
        at = coverage_queries.first_sent_at(db, w.id, [n for n in needs.values() if n and n <= reached])
    names = {v.code: v.name for v in geo_service.region_infos(db=db)}
    villages = [
        {
            "code": v.code,
            "name": names.get(v.code or "", "未定位"),
            "targeted": v.targeted,
            "reached": v.reached,
            "percent": round(100 * v.reached / v.targeted, 1) if v.targeted else 100.0,
        }
        for v in found.villages
    ]
    written = sum(c["targeted"] - c["fallback"] for c in by_channel.values())  # first-choice rows
    return {
        "warning_id": w.id,
        "expanding": expanding,
        # The worker has not searched the recipients yet (it records them with its first rows).
        "searching": expanding and not by_channel and not (cov and cov.expected),
        "expected": cov.expected if cov else total,
        "written": written,
        "targeted": total,
        "reached": reached,
        "percent": round(100 * reached / total, 1) if total else None,
        "by_channel": by_channel,
        "by_village": sorted(villages, key=lambda v: (v["percent"], v["code"] or "")),
        "time_to_s": _time_to(w.published_at, needs, at),
        # People, by area broadcast and personal messages, nobody counted twice (``area_broadcast.py``).
        "people": area_broadcast.people_of(
            area_rows=found.area_rows,
            area_population=found.area_population,
            broadcast_reached=found.broadcast_reached,
            personal_targeted=found.personal_targeted,
            personal_reached=found.personal_reached,
        ),
    }


def failures(*, db: Session, actor: Actor, warning_id: int, examples: int = 3) -> list[dict[str, Any]]:
    """Failed deliveries grouped by channel and reason (the gateway's own words), most frequent first."""
    w = load(db, actor, warning_id)
    q = (
        select(Delivery.channel, Delivery.last_error, func.count())
        .where(Delivery.warning_id == w.id, Delivery.status == DeliveryStatus.failed)
        .group_by(Delivery.channel, Delivery.last_error)
        .order_by(func.count().desc())
    )
    out = []
    for channel, reason, n in db.execute(q).all():
        names = db.scalars(
            select(Delivery.name)
            .where(
                Delivery.warning_id == w.id,
                Delivery.status == DeliveryStatus.failed,
                Delivery.channel == channel,
                Delivery.last_error == reason if reason is not None else Delivery.last_error.is_(None),
            )
            .limit(examples)
        )
        out.append({"channel": channel, "reason": reason or "（无原因记录）", "count": n, "examples": list(names)})
    return out


def _targeted():
    """Recipients a warning must reach: while its rows are still being written, those found at
    publication (the rows not written yet count as not reached); afterwards, those with a row."""
    return case((WarningCoverage.expanding, WarningCoverage.expected), else_=WarningCoverage.recipients)


def below_target(*, db: Session, actor: Actor, limit: int = 5, days: int = 30) -> tuple[int, list[dict[str, Any]]]:
    """Local warnings of the last ``days`` that reached fewer than all their targets (the plan's target is
    100 %): how many, and the latest few with their figures. Each counts on its own: a yearly average
    never hides one. Read from the running figures (``tally``), one row per warning."""
    require(actor, "warnings.read")
    since = utcnow() - timedelta(days=days)
    targeted = _targeted()
    q = (
        select(
            WarningMessage.id, WarningMessage.headline, targeted, WarningCoverage.reached, WarningCoverage.expanding
        )
        .join(WarningCoverage, WarningCoverage.warning_id == WarningMessage.id)
        .where(
            visible(actor),
            WarningMessage.origin == "local",
            WarningMessage.published_at >= since,
            WarningMessage.status.in_([Status.published, Status.superseded]),
            WarningCoverage.reached < targeted,
        )
        .order_by(WarningMessage.id.desc())
    )
    rows = db.execute(q).all()
    return len(rows), [
        {
            "id": wid,
            "headline": headline,
            "targeted": t,
            "reached": r,
            "percent": round(100 * r / t, 1) if t else None,
            "expanding": bool(expanding),
        }
        for wid, headline, t, r, expanding in rows[:limit]
    ]


def district_year(*, db: Session, actor: Actor, year: int | None = None) -> dict[str, Any]:
    """The plan's figure: share of targeted recipients reached, over the warnings published this year
    (from the running figures: one row per warning, not a scan of the year's deliveries). ``expanding``:
    warnings whose delivery rows are still being written, counted with the recipients found at
    publication."""
    require(actor, "warnings.read")
    year = year or utcnow().astimezone(CHINA).year
    start = datetime(year, 1, 1, tzinfo=CHINA)
    end = datetime(year + 1, 1, 1, tzinfo=CHINA)
    q = (
        select(
            func.count(WarningMessage.id),
            func.coalesce(func.sum(_targeted()), 0),
            func.coalesce(func.sum(WarningCoverage.reached), 0),
            func.coalesce(func.sum(case((WarningCoverage.expanding, 1), else_=0)), 0),
        )
        .outerjoin(WarningCoverage, WarningCoverage.warning_id == WarningMessage.id)
        .where(
            visible(actor),
            WarningMessage.origin == "local",
            WarningMessage.drill.is_(False),  # a drill's test audience is no coverage of the district
            WarningMessage.published_at >= start,
            WarningMessage.published_at < end,
            WarningMessage.status.in_([Status.published, Status.superseded]),
        )
    )
    warnings, targeted, reached, expanding = (int(v or 0) for v in db.execute(q).one())
    return {
        "year": year,
        "warnings": warnings,
        "targeted": targeted,
        "reached": reached,
        "percent": round(100 * reached / targeted, 2) if targeted else None,
        "target_percent": 100,
        "expanding": expanding,
    }
