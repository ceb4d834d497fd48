from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from yingji.core.db import Base


class Region(Base):
    """An administrative unit at one level. ``path`` is the chain of codes from the root
    ("450206000000/450206100000/…"), so "inside my township" is a prefix test."""

    __tablename__ = "regions"
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
