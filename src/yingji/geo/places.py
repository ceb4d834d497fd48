"""Places by name: one search over villages, townships and whatever the capabilities register
(enterprises, shelters …), by name or address text, for every form that asks for a place.

A capability registers a provider in its ``places.py`` (loaded by the composition root):

    @provider("shelter", "避难场所", public=True)
    def shelters(db, actor, q, limit) -> list[Place]: ...

``public`` providers also answer visitors who are not logged in (the public 举报 form); the others
get the actor and apply its scope like any read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor
from yingji.core.errors import ErrorDetail, ValidationFailed
from yingji.core.search import contains
from yingji.geo.models import Region

MAX_QUERY = 50


@dataclass(frozen=True)
class Place:
    kind: str  # village / township / enterprise / shelter / …
    kind_label: str
    name: str
    detail: str  # the township of a village, an address …
    lon: float
    lat: float
    region_code: str | None = None
    ref: str | None = None  # the record's id in its capability, for links

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


Finder = Callable[[Session, Actor | None, str, int], list[Place]]


@dataclass(frozen=True)
class Provider:
    kind: str
    label: str
    public: bool
    find: Finder


PROVIDERS: dict[str, Provider] = {}


def provider(kind: str, label: str, *, public: bool = False) -> Callable[[Finder], Finder]:
    def register(fn: Finder) -> Finder:
        PROVIDERS[kind] = Provider(kind, label, public, fn)
        return fn

    return register


def _rank(p: Place, q: str) -> tuple[int, int]:
    if p.name == q:
        return (0, len(p.name))
    if p.name.startswith(q):
        return (1, len(p.name))
    if q in p.name:
        return (2, len(p.name))
    return (3, len(p.name))  # matched on the address


def search(*, db: Session, actor: Actor | None, q: str, limit: int = 10, kinds: list[str] | None = None) -> list[Place]:
    """Places whose name (or address) contains ``q``: exact names first, then prefixes, then the rest."""
    q = (q or "").strip()
    if not q:
        raise ValidationFailed("请输入地名", details=[ErrorDetail("q", "不能为空")])
    if len(q) > MAX_QUERY:
        raise ValidationFailed("地名过长", details=[ErrorDetail("q", f"最多 {MAX_QUERY} 个字")])
    unknown = [k for k in kinds or [] if k not in PROVIDERS]
    if unknown:
        raise ValidationFailed("未知的地点类型", details=[ErrorDetail("kind", ", ".join(unknown))])
    found: list[Place] = []
    for kind, prov in PROVIDERS.items():
        if kinds and kind not in kinds:
            continue
        if actor is None and not prov.public:
            continue
        found += prov.find(db, actor, q, limit)
    found.sort(key=lambda p: _rank(p, q))
    return found[:limit]


def _regions(level: str, label: str) -> Finder:
    def find(db: Session, actor: Actor | None, q: str, limit: int) -> list[Place]:
        rows = db.scalars(
            select(Region)
            .where(Region.level == level, Region.centroid_lon.is_not(None), contains(Region.name, q))
            .order_by(Region.code)
            .limit(limit)
        ).all()
        parents = {r.id: r.name for r in db.scalars(select(Region).where(Region.id.in_({r.parent_id for r in rows})))}
        return [
            Place(level, label, r.name, parents.get(r.parent_id, ""), r.centroid_lon, r.centroid_lat, r.code, r.code)
            for r in rows
        ]

    return find


# Region names are public (they are on every sign): visitors may search them too.
provider("village", "村（社区）", public=True)(_regions("village", "村（社区）"))
provider("township", "镇（街道）", public=True)(_regions("township", "镇（街道）"))
