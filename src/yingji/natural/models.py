"""Tables of the natural capability: hazard points of every kind (one table, kinds as data), their
monitors, threatened households, patrols, the patrols a warning calls for, and evacuations. Other
capabilities' records (shelters, sensors, warnings, incidents) are linked by id; ``region_path`` is the
point's village, kept for the scope checks (a prefix test)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yingji.core.db import Base, UTCDateTime


class HazardPoint(Base):
    """One natural-hazard point or area: a geological hazard point, a flash-flood danger zone, a
    waterlogging point, a forest-fire risk area, a dangerous reservoir or dyke (``kind``, data/hazard_kinds)."""

    __tablename__ = "natural_points"
    __generation__ = True  # map layers are kept until these rows are written (core.layercache)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    category: Mapped[str] = mapped_column(String(20), index=True)
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    village_code: Mapped[str] = mapped_column(String(20), index=True)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    outline: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # GeoJSON Polygon (WGS84) of an area
    scale: Mapped[str] = mapped_column(String(10), default="")  # enums.SCALE_LABELS key, or ""
    stability: Mapped[str] = mapped_column(String(16), default="fairly_stable")
    households: Mapped[int] = mapped_column(Integer, default=0)
    people: Mapped[int] = mapped_column(Integer, default=0)
    property_yuan: Mapped[Decimal] = mapped_column(Numeric(16, 2), default=Decimal(0))
    danger_grade: Mapped[str | None] = mapped_column(String(4))  # 险情 I–IV (geological kinds only)
    fire_danger_level: Mapped[int | None] = mapped_column(Integer)  # 森林火险等级 1–5 (forest areas)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="monitored", index=True)
    responsible_name: Mapped[str] = mapped_column(String(50), default="")
    responsible_phone: Mapped[str] = mapped_column(String(20), default="")
    warning_signal: Mapped[str] = mapped_column(String(200), default="")
    evacuation_route: Mapped[str] = mapped_column(String(500), default="")
    shelter_id: Mapped[int | None] = mapped_column(Integer)
    shelter_name: Mapped[str] = mapped_column(String(200), default="")
    sensor_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Monitor(Base):
    """A 群测群防 monitor of a point: an information officer or a villager, with a phone."""

    __tablename__ = "natural_monitors"
    __generation__ = True  # map layers are kept until these rows are written (core.layercache)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("natural_points.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(16), default="villager")
    user_id: Mapped[int | None] = mapped_column(Integer)
    region_path: Mapped[str] = mapped_column(String(400), index=True)


class Household(Base):
    """A household a point threatens: who gets the 防灾明白卡 / 避险明白卡 and the warning."""

    __tablename__ = "natural_households"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("natural_points.id", ondelete="CASCADE"), index=True)
    head_name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(20), default="")
    people: Mapped[int] = mapped_column(Integer, default=1)
    address: Mapped[str] = mapped_column(String(200), default="")
    region_path: Mapped[str] = mapped_column(String(400), index=True)


class Patrol(Base):
    """A patrol of a point (汛前排查 / 雨中巡查 / 雨后核查), recorded on the phone, with photos and findings."""

    __tablename__ = "natural_patrols"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("natural_points.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    patrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    patroller_id: Mapped[int | None] = mapped_column(Integer)
    patroller_name: Mapped[str] = mapped_column(String(100), default="")
    findings: Mapped[str] = mapped_column(Text, default="")
    danger_found: Mapped[bool] = mapped_column(Boolean, default=False)
    photo_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    region_path: Mapped[str] = mapped_column(String(400), index=True)


class PatrolDemand(Base):
    """A patrol a warning calls for (data/patrol_rules.toml): the point must be patrolled by ``due_at``.
    ``state``: open → patrolled (in time) or overdue (not, and the township was told at ``overdue_at``)."""

    __tablename__ = "natural_patrol_demands"
    __table_args__ = (UniqueConstraint("point_id", "warning_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("natural_points.id", ondelete="CASCADE"), index=True)
    warning_id: Mapped[int] = mapped_column(Integer, index=True)
    warning_kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(8))
    patrol: Mapped[str] = mapped_column(String(12))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    state: Mapped[str] = mapped_column(String(10), default="open", index=True)
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    region_path: Mapped[str] = mapped_column(String(400), index=True)


class Evacuation(Base):
    """People of a point moved to safety (转移), with the warning or incident it answered."""

    __tablename__ = "natural_evacuations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("natural_points.id", ondelete="CASCADE"), index=True)
    warning_id: Mapped[int | None] = mapped_column(Integer)
    incident_id: Mapped[int | None] = mapped_column(Integer, index=True)
    households: Mapped[int] = mapped_column(Integer, default=0)
    people: Mapped[int] = mapped_column(Integer)
    shelter_name: Mapped[str] = mapped_column(String(200), default="")
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    region_path: Mapped[str] = mapped_column(String(400), index=True)


class FireWatch(Base):
    """What watches the forest: a camera or lookout (a point with its range) or a patrol route (a line
    and the width it sees either side), for the forest-fire monitoring coverage."""

    __tablename__ = "natural_fire_watches"
    __generation__ = True  # map layers are kept until these rows are written (core.layercache)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # camera / lookout / patrol_route
    geometry: Mapped[dict[str, Any]] = mapped_column(JSON)  # GeoJSON Point or LineString (WGS84)
    range_m: Mapped[float] = mapped_column(Float)
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class CensusImport(Base):
    """One import of a risk-census layer (风险普查): the file, its format, the CRS it was said or found in."""

    __tablename__ = "natural_census_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    layer: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200), default="")
    file_format: Mapped[str] = mapped_column(String(20))  # xlsx, geojson, shapefile, gpkg
    source_crs: Mapped[str] = mapped_column(String(200))
    features: Mapped[int] = mapped_column(Integer, default=0)
    replaced: Mapped[int] = mapped_column(Integer, default=0)
    region_path: Mapped[str] = mapped_column(String(400), index=True)  # the importer's scope
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CensusFeature(Base):
    """One feature of a census layer, in WGS84: a hazard factor area, an exposed element (house, village
    population, school, hospital, critical facility) or a capacity site (team, warehouse, shelter)."""

    __tablename__ = "natural_census_features"
    __generation__ = True  # map layers are kept until these rows are written (core.layercache)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("natural_census_imports.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    layer: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200))
    region_path: Mapped[str] = mapped_column(String(400), index=True)
    village_code: Mapped[str] = mapped_column(String(20), index=True)
    geometry: Mapped[dict[str, Any]] = mapped_column(JSON)  # GeoJSON, WGS84
    lon: Mapped[float] = mapped_column(Float)  # a point on the feature
    lat: Mapped[float] = mapped_column(Float)
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
