"""The pages a duty officer keeps open do their work in a few queries, whatever the number of rows: the
SQL statements of each request are counted with an engine event listener. A query per row (an N+1) on
the demo district's hundreds of sensors, points and grid cells, or on a page of 50 list rows, breaks
these bounds; and a GET writes nothing, so on SQLite it never takes the write lock."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

# Statements of the test harness itself (each request is a savepoint of the test's transaction).
HARNESS = re.compile(r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)", re.I)
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)

# Today's counts are 5–14 (session and user look-up, the 待办 badge, the page's own queries); a few
# more are room for a new card or filter, never for a query per row.
FEW = 16

DASHBOARD = ["/", "/monitoring/dashboard-card", "/resources/cards", "/risk/card", "/warnings/card"]
MAP_LAYERS = [
    "/map",
    "/api/v1/warnings/map.geojson",
    "/api/v1/monitoring/sensors.geojson",
    "/api/v1/geo/boundaries?level=township",
    "/api/v1/geo/boundaries?level=village",
    "/api/v1/risk/map/points",
    "/api/v1/risk/map/enterprises",
    "/api/v1/risk/map/major-hazards",
    "/api/v1/risk/map/grid",
    "/api/v1/resources/map/shelters.geojson",
    "/api/v1/resources/map/teams.geojson",
    "/api/v1/resources/map/warehouses.geojson",
    "/api/v1/resources/map/coverage.geojson",
    "/api/v1/natural/map/points?category=geological",
    "/api/v1/natural/map/uncovered-forest",
    "/api/v1/natural/map/zoning?by=cell",
    "/api/v1/enforcement/map/listed",
]
LISTS = [
    "/api/v1/monitoring/alarms",
    "/api/v1/monitoring/events",
    "/api/v1/monitoring/sensors",
    "/api/v1/risk/hazards",
    "/api/v1/risk/points",
    "/api/v1/incidents",
    "/api/v1/registry/enterprises",
    "/api/v1/resources/shelters",
    "/api/v1/resources/teams",
    "/api/v1/natural/points",
    "/api/v1/audit/entries",
    "/api/v1/enforcement/cases",
]
FEW_ROWS = ["/api/v1/warnings"]  # the demo has one warning: bounded, but not compared across page sizes


@contextmanager
def statements(engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def before(_conn, _cursor, statement, _params, _context, _many) -> None:
        if not HARNESS.match(statement):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


@pytest.fixture
def admin(page_client):
    c = page_client("admin")
    c.get("/")  # the first page of a session may refresh it; the counts are of the pages after
    return c


def _count(engine, client, url: str) -> list[str]:
    with statements(engine) as seen:
        r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.text[:200])
    return seen


def _worst(seen: list[str]) -> str:
    from collections import Counter

    stmt, n = Counter(s[:120] for s in seen).most_common(1)[0]
    return f"{len(seen)} statements, {n}× {stmt!r}"


@pytest.mark.parametrize("url", DASHBOARD + MAP_LAYERS + LISTS + FEW_ROWS)
def test_a_page_is_a_few_queries_and_writes_nothing(engine, admin, url):
    seen = _count(engine, admin, url)
    assert len(seen) <= FEW, f"{url}: {_worst(seen)}"
    assert not [s for s in seen if WRITES.match(s)], f"{url} writes on a GET: it would take the write lock"


@pytest.mark.parametrize("url", LISTS)
def test_a_list_makes_as_many_queries_for_fifty_rows_as_for_two(engine, admin, url):
    sep = "&" if "?" in url else "?"
    small = _count(engine, admin, f"{url}{sep}page_size=2")
    large = _count(engine, admin, f"{url}{sep}page_size=50")
    total = admin.get(f"{url}{sep}page_size=2").json()["total"]
    assert total > 2, f"{url}: the demo data set must fill more than one small page for this test to mean anything"
    assert len(large) == len(small), f"{url}: 2 rows → {len(small)} statements, 50 rows → {_worst(large)}"


def test_grid_roll_up_locates_its_features_without_a_query_each(engine, admin):
    # The grid roll-up places ~1,000 graded features in their cells: before, two queries per feature.
    features = admin.get("/api/v1/risk/map/grid").json()["features"]
    assert len(features) > 20 and all(f["properties"]["count"] >= 1 for f in features)
    assert len(_count(engine, admin, "/api/v1/risk/map/grid")) <= FEW
