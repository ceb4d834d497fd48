"""Who receives a warning: resolved from its area.

* residents who subscribed: by location (the grid cells wholly inside taken from the index, the points of
  the edge cells tested exactly) or by
  village (the village touches the area); filtered by warning type
* information officers and village cadres of the villages the area touches (registry)
* village loudspeakers, schools, hospitals and public screens located in the area (receiving points)
* enterprises located in the area (their safety contact, registry)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.orm import Session

from yingji.geo import service as geo_service
from yingji.registry import service as registry_service
from yingji.warnings.enums import RecipientKind, SubscriberStatus
from yingji.warnings.models import ReceivingPoint, Subscriber
from yingji.warnings.service import cell_ranges, cells, phone_keys
from yingji.warnings.service.area import Area

INFO_OFFICER_TITLES = ["灾害信息员"]
SUBSCRIBER_CHANNEL = "sms"  # a subscriber gives a phone, nothing else
CADRE_TITLES = ["村（社区）主任", "社区响应队队长"]


class Target(NamedTuple):
    kind: str
    ref: str
    name: str
    village_code: str | None
    channel: str
    address: str
    fallbacks: dict[str, str] = {}  # never mutated (a shared default)
    reach: int | None = None  # people one message reaches when more than one (an area broadcast)


NO_FALLBACK: dict[str, str] = {}


def _in_area(area: Area, rows: list[Any], lon_i: int, lat_i: int) -> list[Any]:  # the exact test
    if not rows:
        return []
    lon = np.fromiter(map(itemgetter(lon_i), rows), dtype=float, count=len(rows))
    lat = np.fromiter(map(itemgetter(lat_i), rows), dtype=float, count=len(rows))
    return [rows[i] for i in np.flatnonzero(area.covers(lon, lat))]


# Subscriber rows read per round trip while streaming: memory stays flat whatever the area (5,000,000
# points in a province-wide polygon are read 50,000 at a time, never held at once).
STREAM_CHUNK = 50_000


def _subscriber_filter(area: Area, event_type: str):
    wants = or_(Subscriber.event_types == "", Subscriber.event_types.contains(f",{event_type},", autoescape=True))
    return and_(Subscriber.status == SubscriberStatus.active, wants)


_IN_CELL = Subscriber.cell.between(cell_ranges.LO, cell_ranges.HI)  # a range of cells (``cell_ranges``)


def _bbox(area: Area):
    minx, miny, maxx, maxy = area.bbox()
    return and_(Subscriber.lon.between(minx, maxx), Subscriber.lat.between(miny, maxy))


def _by_cells(db: Session, area: Area, cols: tuple, where, chunk: int) -> Iterator[list[Any]]:
    cover = cells.cover(area)
    n = len(cols)
    query = select(*cols, Subscriber.lon, Subscriber.lat).where(where, _IN_CELL)
    buf: list[Any] = []
    for rows in cell_ranges.all_ranges(db, query, cover.inside, chunk):  # inside without a test
        buf += rows
        if len(buf) >= chunk:
            yield buf
            buf = []
    for rows in cell_ranges.per_range(db, query.where(_bbox(area)), cover.edge):
        buf += _in_area(area, rows, n, n + 1)
        if len(buf) >= chunk:
            yield buf
            buf = []
    if buf:
        yield buf


def subscriber_rows(
    *, db: Session, area: Area, event_type: str, cols: tuple, chunk: int = STREAM_CHUNK
) -> Iterator[list[Any]]:
    """The subscribers inside the area, streamed: lists of rows of ``cols`` (whose last two are
    ``Subscriber.lon``, ``Subscriber.lat`` for located subscribers), by cells (``cells.cover``): the rows of
    the cells wholly inside are taken as they are, those of the cells on the edge are tested exactly
    (``Area.covers``, vectorised). Subscribers without a location whose village the area touches follow.

    By cells on PostgreSQL too, PostGIS or not: its GiST index was slower there for both reads (2026-12-03,
    idle machine, 1,000,000 points: 3.9 s to stream 620,991 targets against 2.8 s by cells, 1.20 s to
    count them against 0.25 s; migration ``warnings_0010`` drops the index)."""
    active = _subscriber_filter(area, event_type)
    yield from _by_cells(db, area, cols, active, chunk)
    if area.village_codes:
        by_village = select(*cols, Subscriber.lon, Subscriber.lat).where(
            active, Subscriber.lon.is_(None), Subscriber.village_code.in_(area.village_codes)
        )
        yield from cell_ranges.streamed(db, by_village, chunk, index=cell_ranges.VILLAGE_INDEX)


TARGET_COLS = (Subscriber.id, Subscriber.phone, Subscriber.village_code)


def subscribed_chunks(
    *, db: Session, area: Area, event_type: str, chunk: int = STREAM_CHUNK
) -> Iterator[list[Target]]:
    """The subscribed residents inside the area as targets, streamed in chunks (the worker's search)."""
    return _target_chunks(db=db, area=area, event_type=event_type, chunk=chunk)


def _target_chunks(*, db: Session, area: Area, event_type: str, chunk: int = STREAM_CHUNK) -> Iterator[list[Target]]:
    kind, new, sms = RecipientKind.subscriber.value, tuple.__new__, SUBSCRIBER_CHANNEL
    for rows in subscriber_rows(db=db, area=area, event_type=event_type, cols=TARGET_COLS, chunk=chunk):
        yield [new(Target, (kind, f"subscriber:{r[0]}", "", r[2], sms, r[1], NO_FALLBACK, None)) for r in rows]


def count_subscribed(*, db: Session, area: Area, event_type: str, exclude: set[str] | frozenset = frozenset(),
                     chunk: int = STREAM_CHUNK) -> int:
    """How many different phones ``subscribed_chunks`` gives, leaving out those in ``exclude`` (already
    targets of another kind), counted in flat memory: 8 bytes per phone found, not a row. A phone's
    spellings count as one when they are the same number ("0139…" and "139…"), as ``phone_keys`` makes
    them; a phone no other row has (``lone_phones``) is counted without being read, in the cells inside."""
    where = _subscriber_filter(area, event_type)
    if exclude:
        where = and_(where, Subscriber.phone.not_in(sorted(exclude)))
    dialect = db.get_bind().dialect.name
    cover = cells.cover(area)
    keys: list[np.ndarray] = []
    first = itemgetter(0)
    # The cells inside: their rows counted from the index, and apart from them the rows whose phone
    # another row has (``phone_alone`` false: a partial index of their own, a tenth of the rows or so),
    # whose phones are read and compared with the others; the rest are different phones, counted unread.
    # The phones read come as one string per range, parsed in C (the tuple per point the driver builds
    # was most of the time; a test per row in SQL cost as much); one by one only when a range holds a
    # phone that is not plain digits.
    shared = and_(where, _IN_CELL, not_(Subscriber.phone_alone))
    joined = func.group_concat(Subscriber.phone) if dialect == "sqlite" else func.string_agg(Subscriber.phone, ",")
    rows_in = select(func.count()).select_from(Subscriber).where(where, _IN_CELL)
    lonely = sum(rows[0][0] for rows in cell_ranges.per_range(db, rows_in, cover.inside, empty=True))
    whole = select(func.count(Subscriber.phone), joined).where(shared)
    one_by_one = select(Subscriber.phone).where(shared)
    slow: list[tuple[int, int]] = []
    per_range = cell_ranges.per_range(db, whole, cover.inside, empty=True, index=cell_ranges.SHARED_INDEX)
    for run, rows in zip(cover.inside, per_range, strict=True):
        lonely -= rows[0][0]
        parsed = phone_keys.joined_keys(*rows[0])
        if parsed is None:
            slow.append(run)
        else:
            keys.append(parsed)
    for rows in cell_ranges.per_range(db, one_by_one, slow, index=cell_ranges.SHARED_INDEX):
        keys.append(phone_keys.keys(list(map(first, rows))))
    edge = select(Subscriber.phone, Subscriber.lon, Subscriber.lat).where(where, _IN_CELL, _bbox(area))
    for rows in cell_ranges.per_range(db, edge, cover.edge):
        keys.append(phone_keys.keys(list(map(first, _in_area(area, rows, 1, 2)))))
    if area.village_codes:
        by_village = select(Subscriber.phone).where(
            where, Subscriber.lon.is_(None), Subscriber.village_code.in_(area.village_codes)
        )
        for rows in cell_ranges.streamed(db, by_village, chunk, index=cell_ranges.VILLAGE_INDEX):
            keys.append(phone_keys.keys(list(map(first, rows))))
    if not keys:
        return lonely
    found = np.sort(np.concatenate(keys))  # a sort and one comparison: np.unique's hashing cost more
    return lonely + int(found.size and 1 + np.count_nonzero(found[1:] != found[:-1]))


def subscribed(*, db: Session, area: Area, event_type: str) -> list[Target]:
    return [t for part in _target_chunks(db=db, area=area, event_type=event_type) for t in part]


def points(*, db: Session, area: Area) -> list[Target]:
    minx, miny, maxx, maxy = area.bbox()
    rows = db.execute(
        select(
            ReceivingPoint.id,
            ReceivingPoint.kind,
            ReceivingPoint.name,
            ReceivingPoint.village_code,
            ReceivingPoint.lon,
            ReceivingPoint.lat,
            ReceivingPoint.contacts,
        )
        .where(and_(ReceivingPoint.lon.between(minx, maxx), ReceivingPoint.lat.between(miny, maxy)))
        .order_by(ReceivingPoint.id)
    ).all()
    out = []
    for r in _in_area(area, rows, 4, 5):
        contacts = dict(r[6] or {})
        if not contacts:
            continue
        channel, address = next(iter(contacts.items()))
        rest = {k: v for k, v in contacts.items() if k != channel}
        out.append(Target(r[1], f"point:{r[0]}", r[2], r[3], channel, address, rest, None))
    return out


def people(*, db: Session, area: Area) -> list[Target]:
    if not area.village_codes:
        return []
    villages = {v.code: v.path for v in geo_service.region_infos(db=db, level="village")}
    paths = [villages[c] for c in area.village_codes if c in villages]
    out = []
    for kind, titles in ((RecipientKind.info_officer, INFO_OFFICER_TITLES), (RecipientKind.cadre, CADRE_TITLES)):
        for p in registry_service.people_by_title_in_regions(db=db, titles=titles, region_paths=paths):
            village = (p.region_path or "").rsplit("/", 1)[-1] or None
            out.append(Target(kind, f"person:{p.id}", f"{p.name}（{p.title}）", village, "sms", p.phone))
    return out


def enterprises(*, db: Session, area: Area) -> list[Target]:
    found = registry_service.enterprise_contacts_in_bbox(db=db, bbox=area.bbox())
    located = [(c, c.lon, c.lat) for c in found]
    return [
        Target(
            RecipientKind.enterprise,
            f"enterprise:{c.id}",
            c.name,
            c.region_path.rsplit("/", 1)[-1] or None,
            "sms",
            c.phone,
        )
        for c, _lon, _lat in _in_area(area, located, 1, 2)
    ]


def others(*, db: Session, area: Area) -> list[Target]:
    """The targets of the area that are not subscribers (a few hundred at most), one per (channel,
    address), in the order ``resolve`` gives them."""
    seen: set[tuple[str, str]] = set()
    out = []
    for group in (points(db=db, area=area), people(db=db, area=area), enterprises(db=db, area=area)):
        for t in group:
            key = (t.channel, t.address)
            if key not in seen:
                seen.add(key)
                out.append(t)
    return out


def resolve(*, db: Session, area: Area, event_type: str, subscribers: bool = True) -> list[Target]:
    """Every target of the area, one per (channel, address): a phone warned twice gets one SMS.
    ``subscribers=False`` leaves the subscribed residents out (see ``reach.before_publication``)."""
    seen: set[tuple[str, str]] = set()
    out = []
    groups = [points(db=db, area=area), people(db=db, area=area), enterprises(db=db, area=area)]
    if subscribers:
        groups.append(subscribed(db=db, area=area, event_type=event_type))
    for group in groups:
        for t in group:
            key = (t.channel, t.address)
            if key not in seen:
                seen.add(key)
                out.append(t)
    return out


def summary(*, db: Session, targets: list[Target]) -> dict[str, Any]:
    """Counts per channel, per kind of recipient and per village, shown to the author before sign-off."""
    names = {v.code: v.name for v in geo_service.region_infos(db=db)}
    per_village = Counter(t.village_code for t in targets)
    return {
        "total": len(targets),
        "by_channel": dict(Counter(str(t.channel) for t in targets)),
        "by_kind": dict(Counter(str(t.kind) for t in targets)),
        "by_village": [
            {"code": code, "name": names.get(code or "", "未定位"), "count": n}
            for code, n in sorted(per_village.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
        ],
    }
