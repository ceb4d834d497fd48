"""Nearest-resource queries on a generated 100,000-node road graph.

Run alone: ``.venv/bin/python bench/routing.py``. Builds a 317×317 jittered grid (≈100k nodes, 400 m
spacing, roads of three speed classes), places 300 "teams" at random, and answers nearest-k queries from
random points with ``RoadGraph.nearest`` (a bounded Dijkstra in ``scipy.sparse.csgraph``, widened until k
targets are reached; with few targets, the targets' table of searches on the reversed graph), timing each
query after the graph is loaded. The reference, measured in the same run: one plain full-graph Dijkstra
from the origin (``scipy.sparse.csgraph.dijkstra`` with predecessors). The sparse case (10 targets) is also
timed by the bounded search alone and by its first query, which builds the table.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from scipy.sparse.csgraph import dijkstra

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

    def timed(label, targets, k, mode, queries, ask) -> None:
        times = []
        for _ in range(queries):
            lon, lat = point()
            t = time.perf_counter()
            found = ask(lon, lat)
            times.append((time.perf_counter() - t) * 1000)
            assert found is None or len(found) == k
        times.sort()
        p95 = times[max(int(len(times) * 0.95) - 1, 0)]
        table.append((label, mode, len(targets), k, queries, statistics.median(times), p95, times[-1]))

    def reference(lon, lat):
        (origin,), _ = graph.snap(lon, lat)
        dijkstra(graph.drive, directed=True, indices=[origin], return_predecessors=True)

    timed("reference: full Dijkstra", sparse, 0, "drive", 100, reference)
    for targets, k, mode, queries in (
        (dense, 5, "drive", 200),
        (dense, 1, "drive", 200),
        (dense, 10, "drive", 100),
        (dense, 5, "walk", 100),
    ):
        graph.nearest(*point(), targets, k=k, mode=mode)  # warm-up
        timed(
            "nearest",
            targets,
            k,
            mode,
            queries,
            lambda x, y, t=targets, k=k, m=mode: graph.nearest(x, y, t, k=k, mode=m),
        )
    # The sparse case: the first query builds the table of the 10 targets, the next ones read it.
    timed("nearest, first (builds table)", sparse, 5, "drive", 1, lambda x, y: graph.nearest(x, y, sparse, k=5))
    timed("nearest", sparse, 5, "drive", 100, lambda x, y: graph.nearest(x, y, sparse, k=5))
    timed(
        "bounded search only", sparse, 5, "drive", 30, lambda x, y: graph.nearest(x, y, sparse, k=5, sparse_targets=0)
    )

    print(f"graph: {graph.n:,} nodes, {graph.walk.nnz // 2:,} road edges, built in {load_s:.1f} s")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'':<30} {'mode':<6} {'targets':>8} {'k':>3} {'queries':>8} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for label, mode, nt, k, n, med, p95, mx in table:
        print(f"{label:<30} {mode:<6} {nt:>8} {k:>3} {n:>8} {med:>10.1f} {p95:>8.1f} {mx:>8.1f}")
    ref = table[0][5]
    sparse_med = next(row[5] for row in table if row[0] == "nearest" and row[2] == len(sparse))
    print(f"sparse nearest / reference (medians): {sparse_med / ref:.2f}")


if __name__ == "__main__":
    main()
