"""Page parameters and the page shape every list endpoint returns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")

MAX_PAGE_SIZE = 500
# The last page anyone may ask for: offsets stay far inside a 64-bit integer on every database
# (page 121645100408832000 once overflowed SQLite's and PostgreSQL's OFFSET with a 500).
MAX_PAGE = 1_000_000


class PageParams(BaseModel):
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    page_size: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE)

    @classmethod
    def clamped(cls, page: int, page_size: int) -> PageParams:
        """For pages (HTML): an out-of-range ``?page=`` shows the nearest page instead of an error."""
        return cls(page=min(max(page, 1), MAX_PAGE), page_size=page_size)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def page_count(self, total: int) -> int:
        """How many pages ``total`` rows fill (at least one, so an empty list still shows "1 / 1")."""
        return max(1, -(-total // self.page_size))


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int

    @classmethod
    def of(cls, read_model: type[BaseModel], rows: list[Any], total: int, params: PageParams) -> Page[Any]:
        """The page of ``rows`` (ORM objects) shown through ``read_model``."""
        return cls(
            items=[read_model.model_validate(r) for r in rows],
            total=total,
            page=params.page,
            page_size=params.page_size,
        )

    @classmethod
    def sliced(cls, rows: Sequence[Any], params: PageParams, read_model: type[BaseModel] | None = None) -> Page[Any]:
        """One page of a short list its service returns whole (rules, warehouses, a team's members): the same
        envelope as every other list, so a client pages them all alike."""
        chosen = list(rows[params.offset : params.offset + params.page_size])
        items = [read_model.model_validate(r) for r in chosen] if read_model else chosen
        return cls(items=items, total=len(rows), page=params.page, page_size=params.page_size)


def paginate(db: Session, query: Select[Any], params: PageParams) -> tuple[list[Any], int]:
    """Runs ``query`` for one page; returns (rows, total matching rows)."""
    total = db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = list(db.scalars(query.offset(params.offset).limit(params.page_size)))
    return rows, total
