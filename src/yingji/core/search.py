"""Free-text search (``q=``) for every list: the user's text is matched literally, so ``%`` and ``_`` find
those characters instead of acting as LIKE wildcards (``q=_`` would otherwise match every record).

One place for it, so no list forgets: SQLAlchemy's ``autoescape`` escapes ``%``, ``_`` and its escape
character ``/`` in the pattern and adds ``ESCAPE '/'`` (understood by SQLite and PostgreSQL alike)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_


def contains(column: Any, q: str) -> Any:
    """SQL condition: ``column`` contains the text ``q``."""
    return column.contains(q, autoescape=True)


def starts_with(column: Any, q: str) -> Any:
    """SQL condition: ``column`` begins with the text ``q``."""
    return column.startswith(q, autoescape=True)


def matches(q: str, *, within: Iterable[Any] = (), prefix: Iterable[Any] = (), equal: Iterable[Any] = ()) -> Any:
    """SQL condition: ``q`` occurs in one of the ``within`` columns, begins one of ``prefix`` or equals one of
    ``equal`` (codes, phone numbers)."""
    conditions = [contains(c, q) for c in within] + [starts_with(c, q) for c in prefix] + [c == q for c in equal]
    return or_(*conditions)
