"""Coverage: of the recipients targeted, how many were reached (on any channel), per channel and per
village, and how long it took to reach 50 %, 90 % and 100 % of them after publication."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.geo import service as geo_service
from yingji.warnings.enums import DeliveryStatus, Status
from yingji.warnings.models import Delivery, WarningCoverage, WarningMessage
from yingji.warnings.service import area_broadcast
from yingji.warnings.service.access import load, visible
from yingji.warnings.standards import CHINA


def _time_to(fractions: tuple[float, ...], published: datetime | None, times: list[datetime], total: int) -> dict:
    out: dict[str, int | None] = {}
    for f in fractions:
        need = max(1, -(-int(round(f * total * 1000)) // 1000)) if total else 0
        key = f"{int(f * 100)}"
        if published is None or total == 0 or len(times) < need:
            out[key] = None
        else:
            out[key] = max(0, int((times[need - 1] - published).total_seconds()))
    return out


def for_warning(*, db: Session, actor: Actor, warning_id: int) -> dict[str, Any]:
    w = load(db, actor, warning_id)
    rows = db.execute(
        select(
            Delivery.recipient_ref,
            Delivery.channel,
            Delivery.village_code,
            Delivery.status,
            Delivery.sent_at,
            Delivery.fallback_of,
        ).where(Delivery.warning_id == w.id)
    ).all()
    first_reached: dict[str, datetime] = {}
    village_of: dict[str, str | None] = {}
    # Per channel every row counts once: a fallback row (a recipient's next channel after the first
    # failed) is a target of its channel too, so that sent + failed + pending = targeted on each line.
    # (Counting only first-choice rows as targets made "failed" exceed "targeted" once fallbacks ran.)
    by_channel: dict[str, dict[str, int]] = defaultdict(
        lambda: {"targeted": 0, "fallback": 0, "sent": 0, "failed": 0, "pending": 0}
    )
    for ref, channel, village, status, sent_at, fallback_of in rows:
        village_of.setdefault(ref, village)
        c = by_channel[channel]
        c["targeted"] += 1
        c["fallback"] += fallback_of is not None
        key = {"sent": "sent", "failed": "failed"}.get(status, "pending")
        c[key] += 1
        if (
            status == DeliveryStatus.sent
            and sent_at is not None
            and (ref not in first_reached or sent_at < first_reached[ref])
        ):
            first_reached[ref] = sent_at
    total, reached = len(village_of), len(first_reached)
    names = {v.code: v.name for v in geo_service.region_infos(db=db)}
    villages: dict[str | None, dict[str, Any]] = {}
    for ref, village in village_of.items():
        v = villages.setdefault(
            village, {"code": village, "name": names.get(village or "", "未定位"), "targeted": 0, "reached": 0}
        )
        v["targeted"] += 1
        v["reached"] += ref in first_reached
    for v in villages.values():
        v["percent"] = round(100 * v["reached"] / v["targeted"], 1) if v["targeted"] else 100.0
    times = sorted(first_reached.values())
    cov = db.get(WarningCoverage, w.id)
    expanding = bool(cov and cov.expanding)
    if expanding:  # rows still being written: the ones missing are targets not reached (yet)
        total = max(total, cov.expected)
    return {
        "warning_id": w.id,
        "expanding": expanding,
        # The worker has not searched the recipients yet (it records them with its first rows).
        "searching": expanding and not rows and not (cov and cov.expected),
        "expected": cov.expected if cov else total,
        "written": sum(1 for r in rows if r.fallback_of is None),  # first-choice rows: one per target
        "targeted": total,
        "reached": reached,
        "percent": round(100 * reached / total, 1) if total else None,
        "by_channel": dict(by_channel),
        "by_village": sorted(villages.values(), key=lambda v: (v["percent"], v["code"] or "")),
        "time_to_s": _time_to((0.5, 0.9, 1.0), w.published_at, times, total),
        # People, by area broadcast and personal messages, nobody counted twice (``area_broadcast.py``).
        "people": area_broadcast.people(db, w.id),
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
