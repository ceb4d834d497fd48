"""Area broadcast as a channel: one message for the whole area of a warning (cell broadcast through the
carrier's broadcast entity, the county emergency-broadcast platform), recorded as **one delivery row per
area** whose ``reach`` is the population of the area.

Population of an area: for each village the area touches, the village's population (``geo`` regions)
times the share of the village's surface inside the area (1 for a village chosen whole), rounded to a
whole number once, over the sum.

People reached (``people``), counting nobody twice: every personal recipient (subscriber, officer,
cadre, school, speaker …) is found *inside* the area, so the people the broadcast reaches include them.
Hence

* targeted people = max(area population, personal recipients) when the warning has an area broadcast
  row, else the personal recipients;
* reached people = max(area population if the broadcast was sent else 0, personal recipients reached).

E.g. an area of two villages of 1,200 and 800 people with 35 personal recipients: targeted 2,000; with
the broadcast sent and 30 personal messages sent, 2,000 reached (the 30 are among the 2,000), not 2,030;
with the broadcast failed, 30.
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import mapping, shape
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from yingji.geo import service as geo_service
from yingji.warnings.enums import DeliveryStatus
from yingji.warnings.models import Delivery, WarningMessage
from yingji.warnings.service.area import Area, circle_polygon
from yingji.warnings.service.recipients import Target

CHANNEL = "area_broadcast"
KIND = "area"


def population(*, db: Session, area: Area) -> int:
    """The area's population (see the module's docstring)."""
    total = 0.0
    for code in area.village_codes:
        region = geo_service.get_region(db=db, code=code)
        if not region.population:
            continue
        share = 1.0
        if region.geometry:
            village = shape(region.geometry)
            if village.area > 0:
                share = min(1.0, village.intersection(area.geometry).area / village.area)
                if share > 0.999:  # a village chosen whole (the union's edges differ in the last digits)
                    share = 1.0
        total += region.population * share
    return int(round(total))


def ref_of(warning_id: int) -> str:
    """The recipient of a warning's area broadcast row (coverage finds the row by it)."""
    return f"{KIND}:{warning_id}"


def target(*, db: Session, warning: WarningMessage, area: Area) -> Target:
    """The warning's one area-broadcast target."""
    ref = ref_of(warning.id)
    return Target(KIND, ref, (warning.area_desc or area.description)[:200], None, CHANNEL, ref, {},
                  population(db=db, area=area))


def geometry_of(w: WarningMessage) -> dict[str, Any] | None:
    """The GeoJSON of a warning's area as stored (polygon or circle; regions are named by code)."""
    spec = w.area or {}
    if "polygon" in spec:
        return {"type": "Polygon", "coordinates": [spec["polygon"]]}
    if "circle" in spec:
        c = spec["circle"]
        return mapping(circle_polygon(c["lon"], c["lat"], c["radius_m"]))
    if "geometry" in spec:
        return spec["geometry"]
    return None


def people(db: Session, warning_id: int) -> dict[str, Any]:
    """People targeted and reached by area broadcast and personal messages, nobody counted twice."""
    area_rows = db.execute(
        select(Delivery.reach, Delivery.status).where(Delivery.warning_id == warning_id, Delivery.channel == CHANNEL)
    ).all()
    personal_targeted, personal_reached = db.execute(
        select(
            func.count(func.distinct(Delivery.recipient_ref)),
            func.count(func.distinct(case((Delivery.status == DeliveryStatus.sent, Delivery.recipient_ref)))),
        ).where(Delivery.warning_id == warning_id, Delivery.recipient_kind != KIND)
    ).one()
    return people_of(
        area_rows=len(area_rows),
        area_population=sum(r or 0 for r, _s in area_rows),
        broadcast_reached=sum(r or 0 for r, s in area_rows if s == DeliveryStatus.sent),
        personal_targeted=personal_targeted,
        personal_reached=personal_reached,
    )


def people_of(
    *, area_rows: int, area_population: int, broadcast_reached: int, personal_targeted: int, personal_reached: int
) -> dict[str, Any]:
    """``people`` from its parts (``coverage_queries`` counts them in its pass over the rows)."""
    targeted = max(area_population, personal_targeted) if area_rows else personal_targeted
    return {
        "area_broadcast": bool(area_rows),
        "area_population": area_population,
        "broadcast_reached": broadcast_reached,
        "personal_targeted": personal_targeted,
        "personal_reached": personal_reached,
        "targeted": targeted,
        "reached": max(broadcast_reached, personal_reached),
    }
