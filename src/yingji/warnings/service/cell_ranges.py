"""Subscriber rows read by ranges of grid cells (``cells.cover``), the way each engine reads them fastest:
on SQLite through the driver's own cursor on a named index, on PostgreSQL many ranges in one statement
(a lateral index range scan per range). ``LO`` and ``HI`` are the parameters of a range in a query."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import Any

from sqlalchemy import BigInteger, bindparam
from sqlalchemy.orm import Session

CELL_INDEX = "ix_warning_subscribers_cell"
SHARED_INDEX = "ix_warning_subscribers_shared"  # the rows whose phone another row has (partial)
# SQLite's planner took the ``status`` index for the subscribers by village (every row is active) and read
# the whole table: 0.4 s of 5 million rows for a few hundred.
VILLAGE_INDEX = "ix_warning_subscribers_village_code"
LO, HI = bindparam("cell_lo", 0, BigInteger), bindparam("cell_hi", 0, BigInteger)


def _raw(bind, query, index: str | None) -> tuple[str, list[Any], list[str]]:
    """The SQL, the positional values and their names of ``query`` for SQLite's own cursor."""
    compiled = query.compile(dialect=bind.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    names = list(compiled.positiontup or ())
    sql = str(compiled)
    if index:  # SQLAlchemy renders no index hint for SQLite
        table = query.get_final_froms()[0].name
        sql = sql.replace(f"FROM {table}", f"FROM {table} INDEXED BY {index}", 1)
    return sql, [_plain(params[k]) for k in names], names


def streamed(db: Session, query, chunk: int, index: str | None = None) -> Iterator[list[Any]]:
    # Rows through a streaming cursor, ``chunk`` at a time. On SQLite the driver's own cursor: plain
    # tuples, none of SQLAlchemy's per-row work (a third of the time of a 5,000,000-point pass). On
    # PostgreSQL a server-side cursor (options of the statement, not of the connection: those would stay
    # on it, and every later statement of the transaction would open a server-side cursor).
    bind = db.get_bind()
    if bind.dialect.name == "sqlite":
        sql, values, _names = _raw(bind, query, index)
        cur = db.connection().connection.driver_connection.cursor()
        try:
            cur.execute(sql, values)
            while part := cur.fetchmany(chunk):
                yield part
        finally:
            cur.close()
        return
    query = query.execution_options(stream_results=True, yield_per=chunk)
    yield from db.connection().execute(query).partitions(chunk)


def per_range(db: Session, query, ranges: list[tuple[int, int]], *, empty: bool = False,
               index: str = CELL_INDEX) -> Iterator[list[Any]]:
    """The rows of ``query`` (whose cell lies between ``LO`` and ``HI``) for each range of cells: a
    range is one column of the grid inside the area, so its rows are few and the memory flat. ``empty``:
    one list per range, even an empty one. ``index``: the one SQLite is to read."""
    if not ranges:
        return
    bind = db.get_bind()
    if bind.dialect.name == "sqlite":
        sql, values, names = _raw(bind, query, index)
        lo, hi = names.index(LO.key), names.index(HI.key)
        cur = db.connection().connection.driver_connection.cursor()
        try:
            for a, b in ranges:
                values[lo], values[hi] = a, b
                if (rows := cur.execute(sql, values).fetchall()) or empty:
                    yield rows
        finally:
            cur.close()
        return
    yield from _per_range_pg(db, query, ranges, empty=empty)


# Ranges of cells per statement on PostgreSQL: a statement per range was a round trip each (233 ranges
# inside and 469 on the edge of the benchmark's polygon: 0.23 s of waiting for the 0.42 s of the count).
PG_RANGES_PER_STATEMENT = 64


def _over_ranges_pg(db: Session, query, *, order: bool) -> tuple[str, dict[str, Any]]:
    """``query`` (its cell between ``LO`` and ``HI``) as one statement over the ranges given as the arrays
    ``yj_lo``, ``yj_hi``: a lateral subquery per range of their ``unnest`` (an index range scan each); the
    range's number first in each row. Its SQL and its other parameters, for psycopg."""
    compiled = query.compile(dialect=db.get_bind().dialect, compile_kwargs={"render_postcompile": True})
    params = {k: _plain(v) for k, v in compiled.construct_params().items() if k not in (LO.key, HI.key)}
    inner = str(compiled).replace(f"%({LO.key})s", "r.lo").replace(f"%({HI.key})s", "r.hi")
    sql = ("SELECT r.i, s.* FROM unnest(CAST(%(yj_lo)s AS bigint[]), CAST(%(yj_hi)s AS bigint[]))"
           f" WITH ORDINALITY AS r(lo, hi, i) CROSS JOIN LATERAL ({inner}) AS s" + (" ORDER BY r.i" if order else ""))
    return sql, params


def _streamed_ranges_pg(db: Session, query, ranges: list[tuple[int, int]], chunk: int) -> Iterator[list[Any]]:
    """The rows of ``query`` over all ``ranges`` in one statement on a server-side cursor, ``chunk`` at a
    time (without the range's number): flat memory, one round trip per chunk."""
    if not ranges:
        return
    sql, params = _over_ranges_pg(db, query, order=False)
    params |= {"yj_lo": [a for a, _b in ranges], "yj_hi": [b for _a, b in ranges]}
    with db.connection().connection.driver_connection.cursor(name="yj_cells") as cur:
        cur.execute(sql, params)
        while part := cur.fetchmany(chunk):
            yield [row[1:] for row in part]


def _per_range_pg(db: Session, query, ranges: list[tuple[int, int]], *, empty: bool) -> Iterator[list[Any]]:
    """``per_range`` on PostgreSQL: ``query`` for ``PG_RANGES_PER_STATEMENT`` ranges in one statement
    (``_over_ranges_pg``), the rows handed out per range: for queries of few rows per range (an aggregate,
    the edge cells' points); the rows of the cells inside go through ``_streamed_ranges_pg``."""
    sql, params = _over_ranges_pg(db, query, order=True)
    cur = db.connection().connection.driver_connection.cursor()
    try:
        for start in range(0, len(ranges), PG_RANGES_PER_STATEMENT):
            part = ranges[start : start + PG_RANGES_PER_STATEMENT]
            by_range: list[list[Any]] = [[] for _ in part]
            # Never prepared: psycopg prepares a statement run five times, and the generic plan of this
            # one (its ranges unknown) took 7 to 10 s where the planned one takes 0.3 s (1,000,000 points).
            cur.execute(sql, {**params, "yj_lo": [a for a, _b in part], "yj_hi": [b for _a, b in part]},
                        prepare=False)
            for row in cur.fetchall():
                by_range[row[0] - 1].append(row[1:])
            for rows in by_range:
                if rows or empty:
                    yield rows
    finally:
        cur.close()


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def all_ranges(db: Session, query, ranges: list[tuple[int, int]], chunk: int) -> Iterator[list[Any]]:
    """The rows of ``query`` over all ``ranges``, in lists of about ``chunk`` rows or fewer (flat memory):
    on PostgreSQL one statement on a server-side cursor, on SQLite one range at a time."""
    if db.get_bind().dialect.name == "postgresql":
        return _streamed_ranges_pg(db, query, ranges, chunk)
    return per_range(db, query, ranges)
