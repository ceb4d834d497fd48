"""Nearest-k with few targets (a district's stations), read from the targets' table, against a textbook
Dijkstra written here from the cost model of docs/resources.md: an edge takes length / speed (one-way edges
one way only), walking takes length at 5 km/h both ways, a point off the road reaches its nearest node in a
straight line at 20 km/h driving (at walking speed on foot)."""

from __future__ import annotations

import heapq
import math
import random

import pytest

from yingji.geo import roads, routing
from yingji.geo.routing import graph_from_rows

ISLAND = ((109.5, 24.5), (109.51, 24.5))  # a road that joins nothing: unreachable from the grid


def grid_rows(seed: int, n: int = 30) -> list[tuple]:
    rows = roads.grid_edges(lon0=109.0, lat0=24.0, nx=n, ny=n, spacing_m=350, rng=random.Random(seed))
    out = [(r["a_lon"], r["a_lat"], r["b_lon"], r["b_lat"], r["length_m"], r["speed_kmh"], r["oneway"]) for r in rows]
    return [*out, (*ISLAND[0], *ISLAND[1], 1000.0, 40.0, False)]


def plain_nearest(rows, lon, lat, targets, k, mode):
    """(index, time s, distance m) of the k targets reached soonest, ties by index; unreachable left out."""
    adj: dict[tuple, list[tuple[tuple, float, float]]] = {}
    for a_lon, a_lat, b_lon, b_lat, length, speed, oneway in rows:
        a, b = (round(a_lon, 6), round(a_lat, 6)), (round(b_lon, 6), round(b_lat, 6))
        length = max(length, 0.01)
        cost = length if mode == "walk" else length / (max(speed, 1.0) / 3.6)
        adj.setdefault(a, []).append((b, cost, length))
        adj.setdefault(b, [])
        if mode == "walk" or not oneway:
            adj[b].append((a, cost, length))
    nodes = list(adj)
    lat0 = math.radians(sum(p[1] for p in nodes) / len(nodes))
    m_per_deg = math.pi / 180 * 6_371_000.0

    def snap(x, y):
        best = min(nodes, key=lambda p: ((p[0] - x) * math.cos(lat0)) ** 2 + (p[1] - y) ** 2)
        return best, m_per_deg * math.hypot((best[0] - x) * math.cos(lat0), best[1] - y)

    origin, off = snap(lon, lat)
    dist, along = {origin: 0.0}, {origin: 0.0}
    heap = [(0.0, origin)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist[u]:
            continue
        for v, w, length in adj[u]:
            if d + w < dist.get(v, math.inf):
                dist[v], along[v] = d + w, along[u] + length
                heapq.heappush(heap, (d + w, v))
    found = []
    for i, (x, y) in enumerate(targets):
        node, t_off = snap(x, y)
        if node not in dist:
            continue
        access = off + t_off
        if mode == "walk":
            found.append((i, (dist[node] + access) / routing.WALK_SPEED_MS, dist[node] + access))
        else:
            found.append((i, dist[node] + access / (20 / 3.6), along[node] + access))
    return sorted(found, key=lambda f: (f[1], f[0]))[:k]


def check(g, rows, lon, lat, targets, k, mode):
    got = [(r.index, r.travel_time_s, r.distance_m) for r in g.nearest(lon, lat, targets, k=k, mode=mode)]
    want = plain_nearest(rows, lon, lat, targets, k, mode)
    assert [i for i, _, _ in got] == [i for i, _, _ in want]
    for (_, t, d), (_, wt, wd) in zip(got, want, strict=True):
        assert t == pytest.approx(wt, rel=1e-6)
        assert d == pytest.approx(wd, rel=1e-6)
    return got


@pytest.mark.parametrize("mode", ["drive", "walk"])
def test_few_targets_agree_with_a_plain_dijkstra(mode) -> None:
    rows = grid_rows(5)
    g = graph_from_rows(rows, routing.GENERATED)
    rng = random.Random(17)
    box = (float(g.lon.min()), float(g.lat.min()), 109.0 + 29 * 350 / 100_000, 24.0 + 29 * 350 / 111_000)
    stations = [(rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3])) for _ in range(10)]
    for _ in range(8):
        lon, lat = rng.uniform(box[0], box[2]), rng.uniform(box[1], box[3])
        assert len(check(g, rows, lon, lat, stations, 5, mode)) == 5


def test_unreachable_targets_are_left_out_and_k_above_the_count_gives_all_reached() -> None:
    rows = grid_rows(9)
    g = graph_from_rows(rows, routing.GENERATED)
    stations = [(109.01, 24.01), ISLAND[1], (109.05, 24.03), (109.02, 24.06)]
    for mode in ("drive", "walk"):
        got = check(g, rows, 109.03, 24.02, stations, 10, mode)
        assert sorted(i for i, _, _ in got) == [0, 2, 3]  # the island (index 1) cannot be reached
    # From the island only the island's own road is reached.
    assert [i for i, _, _ in check(g, rows, *ISLAND[0], stations, 3, "drive")] == [1]


def test_ties_are_broken_by_the_order_given() -> None:
    rows = grid_rows(2)
    g = graph_from_rows(rows, routing.GENERATED)
    here = (109.02, 24.02)
    # Two stations at one place tie exactly: the one given first comes first, and k=1 keeps it.
    stations = [(109.06, 24.05), (109.01, 24.04), (109.01, 24.04), (109.03, 24.01)]
    got = check(g, rows, *here, stations, 4, "drive")
    tied = [i for i, _, _ in got if i in (1, 2)]
    assert tied == [1, 2] and got[[i for i, _, _ in got].index(1)][1] == got[[i for i, _, _ in got].index(2)][1]
    assert g.nearest(109.01, 24.04, stations[1:3], k=1)[0].index == 0


def test_one_table_per_set_of_targets_and_a_bounded_number_of_them(monkeypatch) -> None:
    rows = grid_rows(4, n=12)
    g = graph_from_rows(rows, routing.GENERATED)
    searches = []
    real = g._search
    monkeypatch.setattr(g, "_search", lambda *a, **kw: searches.append(a) or real(*a, **kw))
    stations = [(109.01, 24.01), (109.03, 24.02)]
    first = g.nearest(109.02, 24.02, stations, k=2)
    again = g.nearest(109.025, 24.03, stations, k=2)
    assert len(searches) == 1 and first and again  # the second query reads the table: no new search
    for j in range(routing.SPARSE_TABLES + 1):
        g.nearest(109.02, 24.02, [(109.0 + 0.002 * j, 24.0)], k=1)
    assert len(g._tables) == routing.SPARSE_TABLES
