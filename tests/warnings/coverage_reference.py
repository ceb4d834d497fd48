"""The coverage of one warning as ``service/coverage.for_warning`` counted it until 2026-12-03: every
delivery row of the warning read into Python. Kept as the reference the aggregate queries are held to
(``test_coverage_queries.py``) and as the "before" of ``bench/warning_coverage.py``; not used by the app."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor
from yingji.geo import service as geo_service
from yingji.warnings.enums import DeliveryStatus
from yingji.warnings.models import Delivery, WarningCoverage
from yingji.warnings.service import area_broadcast
from yingji.warnings.service.access import load


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
