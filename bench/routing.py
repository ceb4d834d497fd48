"""Nearest-resource queries on a generated 100,000-node road graph.

Run alone: ``.venv/bin/python bench/routing.py``. Builds a 317×317 jittered grid (≈100k nodes, 400 m
spacing, roads of three speed classes), places 300 "teams" at random, and answers nearest-k queries from
random points with ``RoadGraph.nearest`` (a bounded Dijkstra in ``scipy.sparse.csgraph``, widened until k
targets are reached), timing each query after the graph is loaded.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from yingji.geo.roads import grid_edges
from yingji.geo.routing import graph_from_rows


def main() -> None:
    rng = random.Random(7)
    side, spacing = 317, 400.0
    t0 = time.perf_counter()
    rows = grid_edges(lon0=109.0, lat0=24.0, nx=side, ny=side, spacing_m=spacing, rng=rng)
    graph = graph_from_rows(
        [(r["a_lon"], r["a_lat"], r["b_lon"], r["b_lat"], r["length_m"], r["speed_kmh"], r["oneway"]) for r in rows],
        "generated",
    )
    load_s = time.perf_counter() - t0
    lon_max, lat_max = float(graph.lon.max()), float(graph.lat.max())

    def point() -> tuple[float, float]:
        return rng.uniform(109.0, lon_max), rng.uniform(24.0, lat_max)

    dense = [point() for _ in range(300)]
    sparse = dense[:10]  # few resources: the bounded search has to widen over most of the graph
    table = []
    for targets, k, mode, queries in (
        (dense, 5, "drive", 200),
        (dense, 1, "drive", 200),
        (dense, 10, "drive", 100),
        (dense, 5, "walk", 100),
        (sparse, 5, "drive", 100),
    ):
        graph.nearest(*point(), targets, k=k, mode=mode)  # warm-up
        times = []
        for _ in range(queries):
            lon, lat = point()
            t = time.perf_counter()
            found = graph.nearest(lon, lat, targets, k=k, mode=mode)
            times.append((time.perf_counter() - t) * 1000)
            assert len(found) == k
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        table.append((mode, len(targets), k, queries, statistics.median(times), p95, times[-1]))

    print(f"graph: {graph.n:,} nodes, {graph.walk.nnz // 2:,} road edges, built in {load_s:.1f} s")
    print(f"{'mode':<6} {'targets':>8} {'k':>3} {'queries':>8} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for mode, nt, k, n, med, p95, mx in table:
        print(f"{mode:<6} {nt:>8} {k:>3} {n:>8} {med:>10.1f} {p95:>8.1f} {mx:>8.1f}")


if __name__ == "__main__":
    main()
