"""Who receives a warning: resolved from its area.

* residents who subscribed: by location (exact point-in-area test after a (lon, lat) index range scan on
  the area's bounding box) or by village (the village touches the area); filtered by warning type
* information officers and village cadres of the villages the area touches (registry)
* village loudspeakers, schools, hospitals and public screens located in the area (receiving points)
* enterprises located in the area (their safety contact, registry)
"""

from __future__ import annotations

from collections import Counter
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


NO_FALLBACK: dict[str, str] = {}


def _in_area(area: Area, rows: list[Any], lon_i: int, lat_i: int) -> list[Any]:
    if not rows:
        return []
    lon = np.fromiter((r[lon_i] for r in rows), dtype=float, count=len(rows))
    lat = np.fromiter((r[lat_i] for r in rows), dtype=float, count=len(rows))
    return [rows[i] for i in np.flatnonzero(area.covers(lon, lat))]


def subscribed(*, db: Session, area: Area, event_type: str) -> list[Target]:
    minx, miny, maxx, maxy = area.bbox()
    wants = or_(Subscriber.event_types == "", Subscriber.event_types.contains(f",{event_type},", autoescape=True))
    active = and_(Subscriber.status == SubscriberStatus.active, wants)
    cols = (Subscriber.id, Subscriber.phone, Subscriber.lon, Subscriber.lat, Subscriber.village_code)
    conn = db.connection()  # Core rows: this runs over hundreds of thousands of points
    # The (lon, lat) index narrows to the bounding box; the exact test runs vectorised on the candidates.
    located = conn.execute(
        select(*cols).where(active, Subscriber.lon.between(minx, maxx), Subscriber.lat.between(miny, maxy))
    ).all()
    hits = _in_area(area, located, 2, 3)
    if area.village_codes:
        hits += conn.execute(
            select(*cols).where(active, Subscriber.lon.is_(None), Subscriber.village_code.in_(area.village_codes))
        ).all()
    kind, new = RecipientKind.subscriber.value, tuple.__new__
    sms = SUBSCRIBER_CHANNEL
    return [new(Target, (kind, f"subscriber:{r[0]}", "", r[4], sms, r[1], NO_FALLBACK)) for r in hits]


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
        out.append(Target(r[1], f"point:{r[0]}", r[2], r[3], channel, address, rest))
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
