"""Small SQL helpers for large batches."""

from __future__ import annotations

from typing import Any

from sqlalchemy import any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session


def among(db: Session, column: Any, values: list[Any]) -> Any:
    """``column IN values``; on PostgreSQL ``column = ANY(:array)``, one parameter however many values."""
    if db.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(values)
