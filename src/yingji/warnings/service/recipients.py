"""Who receives a warning: resolved from its area.

* residents who subscribed: by location (exact point-in-area test after a (lon, lat) index range scan on
  the area's bounding box) or by village (the village touches the area); filtered by warning type
* information officers and village cadres of the villages the area touches (registry)
* village loudspeakers, schools, hospitals and public screens located in the area (receiving points)
* enterprises located in the area (their safety contact, registry)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from enum import Enum
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from yingji.geo import service as geo_service
from yingji.registry import service as registry_service
from yingji.warnings.enums import RecipientKind, SubscriberStatus
from yingji.warnings.models import ReceivingPoint, Subscriber
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


def _in_area(area: Area, rows: list[Any], lon_i: int, lat_i: int) -> list[Any]:
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


AREA_INDEX = "ix_warning_subscribers_area"


def _streamed(db: Session, query, chunk: int, index: str | None = None) -> Iterator[list[Any]]:
    # Rows through a streaming cursor, ``chunk`` at a time. On SQLite the driver's own cursor: plain
    # tuples, none of SQLAlchemy's per-row work (a third of the time of a 5,000,000-point pass). On
    # PostgreSQL a server-side cursor (options of the statement, not of the connection: those would stay
    # on it, and every later statement of the transaction would open a server-side cursor).
    bind = db.get_bind()
    if bind.dialect.name == "sqlite":
        compiled = query.compile(dialect=bind.dialect, compile_kwargs={"render_postcompile": True})
        params = compiled.construct_params()
        values = [_plain(params[k]) for k in compiled.positiontup or ()]
        sql = str(compiled)
        if index:  # SQLAlchemy renders no index hint for SQLite
            table = query.get_final_froms()[0].name
            sql = sql.replace(f"FROM {table}", f"FROM {table} INDEXED BY {index}", 1)
        cur = db.connection().connection.driver_connection.cursor()
        try:
            cur.execute(sql, values)
            while part := cur.fetchmany(chunk):
                yield part
        finally:
            cur.close()
        return
    query = query.execution_options(stream_results=True, yield_per=chunk)
    yield from db.connection().execute(query).partitions(chunk)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def subscriber_rows(
    *, db: Session, area: Area, event_type: str, cols: tuple, chunk: int = STREAM_CHUNK
) -> Iterator[list[Any]]:
    """The subscribers inside the area, streamed: lists of rows of ``cols`` (whose last two are
    ``Subscriber.lon``, ``Subscriber.lat`` for located subscribers). The (lon, lat) B-tree narrows to the
    area's bounding box; the exact test (``Area.covers``) runs vectorised on each chunk of candidates.
    Subscribers without a location whose village the area touches follow."""
    minx, miny, maxx, maxy = area.bbox()
    active = _subscriber_filter(area, event_type)
    located = (
        select(*cols, Subscriber.lon, Subscriber.lat)
        .where(active, Subscriber.lon.between(minx, maxx), Subscriber.lat.between(miny, maxy))
    )
    n = len(cols)
    # SQLite's planner prefers the equality on ``status`` (every row is ``active``) and then looks each
    # row up in the table, ten times slower: told, it reads the covering index's range alone.
    for part in _streamed(db, located, chunk, index=AREA_INDEX):
        hits = _in_area(area, part, n, n + 1)
        if hits:
            yield hits
    if area.village_codes:
        by_village = select(*cols, Subscriber.lon, Subscriber.lat).where(
            active, Subscriber.lon.is_(None), Subscriber.village_code.in_(area.village_codes)
        )
        yield from _streamed(db, by_village, chunk)


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


def _phone_key(phone: str) -> int:
    return int(phone) if phone.isdigit() and len(phone) < 19 else hash(phone)


def _keys(phones: list[str]) -> np.ndarray:
    # Phones of digits only, as numbers, converted in C (the usual case); any other spelling by its hash.
    if phones and "".join(phones).isdigit() and max(map(len, phones)) < 19:
        return np.fromiter(map(int, phones), dtype=np.int64, count=len(phones))
    return np.fromiter(map(_phone_key, phones), dtype=np.int64, count=len(phones))


def count_subscribed(*, db: Session, area: Area, event_type: str, exclude: set[str] | frozenset = frozenset(),
                     chunk: int = STREAM_CHUNK) -> int:
    """How many different phones ``subscribed_chunks`` gives, leaving out those in ``exclude`` (already
    targets of another kind), counted in flat memory: 8 bytes per phone found, not a row."""
    keys: list[np.ndarray] = []
    first = itemgetter(0)
    for rows in subscriber_rows(db=db, area=area, event_type=event_type, cols=(Subscriber.phone,), chunk=chunk):
        phones = [p for p in map(first, rows) if p not in exclude] if exclude else list(map(first, rows))
        keys.append(_keys(phones))
    if not keys:
        return 0
    found = np.sort(np.concatenate(keys))  # a sort and one comparison: np.unique's hashing cost more
    return int(found.size and 1 + np.count_nonzero(found[1:] != found[:-1]))


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
