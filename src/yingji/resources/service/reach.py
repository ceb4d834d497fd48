"""What another capability's area analysis needs of the resources: shelters placed inside a box, and the
stock of named materials in the warehouses that can drive to a point within a travel time (the incidents'
impact estimate weighs it against the needs of the affected people)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.geo import service as geo_service
from yingji.resources.enums import ShelterCondition
from yingji.resources.models import Material, Shelter, StockBalance, Warehouse


@dataclass(frozen=True)
class PlacedShelter:
    id: int
    name: str
    level: str
    capacity: int
    occupancy: int
    open: bool
    lon: float
    lat: float


@dataclass
class ReachableStock:
    material: str
    unit: str
    quantity: Decimal = Decimal(0)
    # (warehouse name, quantity, travel time in seconds), nearest first
    warehouses: list[tuple[str, Decimal, int]] = field(default_factory=list)


def shelters_in_bbox(*, db: Session, bbox: tuple[float, float, float, float]) -> list[PlacedShelter]:
    """Shelters not retired whose place lies inside the (min lon, min lat, max lon, max lat) box."""
    minx, miny, maxx, maxy = bbox
    query = select(Shelter).where(Shelter.lon.between(minx, maxx), Shelter.lat.between(miny, maxy),
                                  Shelter.condition != ShelterCondition.retire)
    return [PlacedShelter(s.id, s.name, s.level, s.capacity, s.occupancy, s.open, s.lon, s.lat)
            for s in db.scalars(query.order_by(Shelter.id))]


def stock_within_reach(*, db: Session, lon: float, lat: float, materials: list[str],
                       max_travel_s: float) -> dict[str, ReachableStock]:
    """For each material named (as the catalogue names it), the quantity on hand in the warehouses whose
    driving time over the road graph to (lon, lat) is at most ``max_travel_s``; a name the catalogue does
    not know is left out of the answer."""
    known = {m.name: m for m in db.scalars(select(Material).where(Material.name.in_(materials)))}
    answer = {name: ReachableStock(name, m.unit) for name, m in known.items()}
    if not known:
        return answer
    rows = db.execute(
        select(Warehouse, Material.name, func.sum(StockBalance.quantity))
        .join(StockBalance, StockBalance.warehouse_id == Warehouse.id)
        .join(Material, Material.id == StockBalance.material_id)
        .where(Material.id.in_([m.id for m in known.values()]), Warehouse.lon.is_not(None))
        .group_by(Warehouse.id, Material.name)
    ).all()
    warehouses = list({w.id: w for w, _, _ in rows}.values())
    if not warehouses:
        return answer
    graph = geo_service.road_graph(db)
    routes = graph.best([(lon, lat)], [(w.lon, w.lat) for w in warehouses], k=len(warehouses), mode="drive",
                        towards_origins=True)[0]
    travel = {warehouses[r.index].id: r.travel_time_s for r in routes if r.travel_time_s <= max_travel_s}
    for w, name, qty in sorted(rows, key=lambda row: travel.get(row[0].id, 0)):
        if w.id in travel and qty:
            stock = answer[name]
            stock.quantity += Decimal(qty)
            stock.warehouses.append((w.name, Decimal(qty), round(travel[w.id])))
    return answer
