from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from yingji.core.db import Base


class Region(Base):
    """An administrative unit at one level. ``path`` is the chain of codes from the root
    ("450206000000/450206100000/…"), so "inside my township" is a prefix test."""

    __tablename__ = "regions"
    __generation__ = True  # pages cache what they show of these rows (core.layercache)
    __audit_exclude__ = {"geometry"}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(16), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"), index=True)
    path: Mapped[str] = mapped_column(String(400), index=True)
    population: Mapped[int] = mapped_column(Integer, default=0)
    # Shape and position are generated or traced, not surveyed: shown as approximate.
    approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str | None] = mapped_column(String(16))  # village / community for village level
    geometry: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    centroid_lon: Mapped[float | None] = mapped_column(Float)
    centroid_lat: Mapped[float | None] = mapped_column(Float)


# Label of a road network generated for the demo (not surveyed roads).
GENERATED_ROADS = "generated"


class RoadEdge(Base):
    __tablename__ = "road_edges"
    __generation__ = True  # map layers are kept until these rows are written (core.layercache)
    __audit__ = False  # bulk-loaded network data

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    a_lon: Mapped[float] = mapped_column(Float)
    a_lat: Mapped[float] = mapped_column(Float)
    b_lon: Mapped[float] = mapped_column(Float)
    b_lat: Mapped[float] = mapped_column(Float)
    length_m: Mapped[float] = mapped_column(Float)
    speed_kmh: Mapped[float] = mapped_column(Float)
    highway: Mapped[str] = mapped_column(String(20), default="unclassified")
    oneway: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(100), default=GENERATED_ROADS)


class MapLine(Base):
    """A line drawn on the 一张图 map: a road or a river imported from OSM, GeoJSON or a Shapefile (WGS84).
    Display only: travel times use the road graph (``road_edges``)."""

    __tablename__ = "map_lines"
    __audit__ = False  # bulk-loaded reference data, replaced a layer at a time

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    layer: Mapped[str] = mapped_column(String(16), index=True)  # road / river
    name: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(30), default="")  # OSM highway / waterway class
    geometry: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(100), default="")
