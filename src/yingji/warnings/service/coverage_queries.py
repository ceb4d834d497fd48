"""The figures of one warning's coverage counted by the database: a district-wide warning has some
600,000 delivery rows, and reading them all into Python took seconds and hundreds of megabytes per
request of its page (``bench/warning_coverage.py``). A few reads, none returning more than a row per
village, channel or asked position:

* per channel: the running figures (``tally``, kept in the transaction of every change of a row);
* per village: the rows grouped per recipient (its village, first sent time), then per village — one
  pass over the warning's rows by the index on ``(warning_id, recipient_ref)``; the area broadcast's
  row by its recipient, in the same index;
* time to reach: the recipients' first sent times numbered in order (``row_number()``), only the asked
  positions returned — in the same statement as the villages, from the same grouping.

A recipient's village is the one on its rows: every row of a recipient (first choice and fallbacks)
carries its target's village (``delivery_rows``, ``outcomes.fallback``), so ``min`` names it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Integer, String, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from yingji.core.db import UTCDateTime
from yingji.warnings.enums import DeliveryStatus
from yingji.warnings.models import Delivery
from yingji.warnings.service import area_broadcast, tally


@dataclass
class VillageRow:
    code: str | None
    targeted: int  # recipients with a row
    reached: int  # recipients with a sent row (a sent time)


@dataclass
class Recipients:
    villages: list[VillageRow] = field(default_factory=list)
    # ``area_broadcast.people``'s parts: the area broadcast's row and the recipients of the pass.
    area_rows: int = 0
    area_population: int = 0
    broadcast_reached: int = 0
    personal_targeted: int = 0
    personal_reached: int = 0

    @property
    def targeted(self) -> int:
        return sum(v.targeted for v in self.villages)

    @property
    def reached(self) -> int:
        return sum(v.reached for v in self.villages)


def by_channel(db: Session, warning_id: int) -> dict[str, dict[str, int]]:
    """Rows per channel (targeted, fallback, sent, failed, pending): the running figures, which the
    tests hold equal to the rows' (``test_coverage_counts``)."""
    return tally.counters(db, warning_id)["by_channel"]


def by_channel_from_rows(db: Session, warning_id: int) -> dict[str, dict[str, int]]:
    """The same counted from the rows: for a warning without running figures (no coverage row)."""
    return tally.from_rows(db, warning_id)["by_channel"]


def recipients(db: Session, warning_id: int, positions: list[int]) -> tuple[Recipients, dict[int, datetime]]:
    """Recipients per village and the first sent times at ``positions`` (as ``first_sent_at``) in one
    pass: the rows grouped per recipient once (a materialized CTE), then per village and numbered in
    time order. ``positions`` are counted from the recipients the running figures say; the caller asks
    ``first_sent_at`` again when the count here differs."""
    sent_at = case((Delivery.status == DeliveryStatus.sent, Delivery.sent_at))
    per = (
        select(func.min(Delivery.village_code).label("village"), func.min(sent_at).label("first_sent"))
        .where(Delivery.warning_id == warning_id)
        .group_by(Delivery.recipient_ref)
        .cte("per_recipient")
        .prefix_with("MATERIALIZED")  # read twice below: grouped once
    )
    by_village = select(
        literal("v").label("part"),
        per.c.village,
        func.count().label("n"),
        func.count(per.c.first_sent).label("reached"),
        literal(None, UTCDateTime()).label("at"),
    ).group_by(per.c.village)
    numbered = (
        select(per.c.first_sent, func.row_number().over(order_by=per.c.first_sent).label("n"))
        .where(per.c.first_sent.is_not(None))
        .subquery()
    )
    at = select(
        literal("t"), literal(None, String()), numbered.c.n, literal(None, Integer()), numbered.c.first_sent
    ).where(numbered.c.n.in_(sorted(set(positions)) or [0]))
    out, times = Recipients(), {}
    for part, village, n, reached, first in db.execute(union_all(by_village, at)).all():
        if part == "v":
            out.villages.append(VillageRow(village, int(n), int(reached)))
        else:
            times[int(n)] = first
    _area_rows(db, warning_id, out)
    return out, times


def _area_rows(db: Session, warning_id: int, out: Recipients) -> None:
    """The area broadcast's parts of ``people``. Its rows are found by their recipient, ``area:<warning>``
    (``area_broadcast.ref_of``, the only recipient of kind ``area``), in the (warning, recipient) index:
    the pass over every row above stays two aggregates per row. Every other recipient is personal; a
    sent row has its sent time, so "reached" above is "has a sent row"."""
    rows = db.execute(
        select(Delivery.recipient_ref, Delivery.recipient_kind, Delivery.channel, Delivery.reach, Delivery.status)
        .where(Delivery.warning_id == warning_id, Delivery.recipient_ref == area_broadcast.ref_of(warning_id))
        .limit(1000)  # one row per warning; never more than a few
    ).all()
    sent = DeliveryStatus.sent
    area = [r for r in rows if r.channel == area_broadcast.CHANNEL]
    out.area_rows = len(area)
    out.area_population = sum(r.reach or 0 for r in area)
    out.broadcast_reached = sum(r.reach or 0 for r in area if r.status == sent)
    refs = {r.recipient_ref for r in rows}
    personal = {r.recipient_ref for r in rows if r.recipient_kind != area_broadcast.KIND}
    reached = {r.recipient_ref for r in rows if r.status == sent}
    personal_reached = {r.recipient_ref for r in rows if r.recipient_kind != area_broadcast.KIND and r.status == sent}
    out.personal_targeted = out.targeted - len(refs) + len(personal)
    out.personal_reached = out.reached - len(reached) + len(personal_reached)


def first_sent_at(db: Session, warning_id: int, positions: list[int]) -> dict[int, datetime]:
    """The ``n``-th earliest of the recipients' first sent times, for each ``n`` in ``positions`` (1 is
    the earliest); a position past the recipients reached is absent. Numbered by ``row_number()`` rather
    than PostgreSQL's ``percentile_disc``: the positions are counted from the recipients targeted, not
    those reached, and a fraction of the reached would have to be turned back into a position through
    floating point; one query on both databases, exact."""
    if not positions:
        return {}
    first = (
        select(func.min(Delivery.sent_at).label("at"))
        .where(
            Delivery.warning_id == warning_id,
            Delivery.status == DeliveryStatus.sent,
            Delivery.sent_at.is_not(None),
        )
        .group_by(Delivery.recipient_ref)
        .subquery()
    )
    numbered = select(first.c.at, func.row_number().over(order_by=first.c.at).label("n")).subquery()
    rows = db.execute(select(numbered.c.n, numbered.c.at).where(numbered.c.n.in_(sorted(set(positions)))))
    return {int(n): at for n, at in rows}
