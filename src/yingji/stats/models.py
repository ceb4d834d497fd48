"""Tables of the statistics capability: the yearly inputs it does not own, the plan's tasks (loaded from the
plan's task list) and the progress departments report on them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yingji.core.db import Base, UTCDateTime


class YearInput(Base):
    """One year's figures the platform does not own; a figure not known is NULL (missing, never zero)."""

    __tablename__ = "stats_year_inputs"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    gdp_yuan: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))  # 地区生产总值, yuan
    population: Mapped[int | None] = mapped_column(Integer)  # 常住人口
    vehicles: Mapped[int | None] = mapped_column(Integer)  # 机动车保有量
    source: Mapped[str] = mapped_column(String(200), default="")  # 统计公报, 公安交管 …
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(80), default="")


class PlanTask(Base):
    """A task or 专栏 item of the plan, as the task list gives it."""

    __tablename__ = "stats_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    section: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    lead: Mapped[str] = mapped_column(String(100))
    supporting: Mapped[list[str]] = mapped_column(JSON, default=list)
    due_year: Mapped[int] = mapped_column(Integer)
    target: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))  # measurable target, in ``unit``
    unit: Mapped[str] = mapped_column(String(20), default="")
    base: Mapped[Decimal] = mapped_column(Numeric(14, 4), default=Decimal(0))  # count at the plan's start
    measure: Mapped[str] = mapped_column(String(80), default="")  # a registered provider: computed progress
    milestones: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{year, target, label}]
    position: Mapped[int] = mapped_column(Integer, default=0)


class TaskProgress(Base):
    """A department's report on a task: where it stands (a value in the task's unit, or a status), what
    was done, and the evidence (attachment ids)."""

    __tablename__ = "stats_task_progress"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("stats_tasks.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))  # not_started | in_progress | done
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    note: Mapped[str] = mapped_column(Text, default="")
    department: Mapped[str] = mapped_column(String(100), default="")
    attachment_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reported_by: Mapped[str] = mapped_column(String(80))
