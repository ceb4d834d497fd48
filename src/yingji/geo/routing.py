"""The road graph and shortest paths over it (``scipy.sparse.csgraph``), for travel times and walking
distances. Not straight lines.

Edges (built by ``geo.roads`` from an OpenStreetMap extract, a GeoJSON file, or a generated demo grid
that says so) are stored in ``road_edges``; ``road_graph(db)`` builds the in-memory graph once per set
of edges.

Costs: driving uses each edge's speed (``maxspeed`` or a default by road class), walking uses length at
``WALK_SPEED_MS`` on every road in both directions. A point off the network reaches its nearest node in a
straight line at ``ACCESS_SPEED_MS`` (driving) or walking speed; that stretch is counted in both the time
and the distance.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from yingji.core.errors import ErrorDetail, ValidationFailed
from yingji.geo.models import GENERATED_ROADS as GENERATED
from yingji.geo.models import RoadEdge
from yingji.geo.roads import EARTH_R

WALK_SPEED_MS = 5 / 3.6
ACCESS_SPEED_MS = 20 / 3.6
# Few targets (a district's fire stations): a bounded search from the origin must widen over most of the
# graph to reach k of them, slower than one full search. Instead, one full search from each target on the
# reversed graph is kept per set of targets, and a query reads it. Bounds: at most this many targets, at
# most SPARSE_CELLS targets × nodes in one table (10 stations on 100,000 nodes: 10⁶ cells, 12 MB) and
# SPARSE_TABLES tables per graph (least recently used dropped).
SPARSE_TARGETS = 16
SPARSE_CELLS = 2_000_000
SPARSE_TABLES = 4


@dataclass(frozen=True)
class Route:
    """A target reached from an origin: its index in the targets given, travel time and distance."""

    index: int
    travel_time_s: float
    distance_m: float


class RoadGraph:
    """Nodes (lon/lat), a directed time graph, an undirected walking graph, and a k-d tree for snapping."""

    def __init__(self, edges: np.ndarray, oneway: np.ndarray, source: str) -> None:
        # edges: float array (m, 6) = a_lon, a_lat, b_lon, b_lat, length_m, speed_kmh
        self.source = source
        ends = np.round(np.vstack([edges[:, 0:2], edges[:, 2:4]]), 6)
        coords, inverse = np.unique(ends, axis=0, return_inverse=True)
        inverse = inverse.reshape(-1)
        m = len(edges)
        a, b = inverse[:m], inverse[m:]
        self.lon, self.lat = coords[:, 0], coords[:, 1]
        n = self.n = len(coords)
        self._lat0 = float(np.mean(self.lat)) if n else 0.0
        self._tree = cKDTree(self._xy(self.lon, self.lat)) if n else None
        length = np.maximum(edges[:, 4], 0.01)
        time_s = length / (np.maximum(edges[:, 5], 1.0) / 3.6)
        two = ~oneway
        self._vmin = float(max(np.min(edges[:, 5]), 1.0) / 3.6) if m else 1.0
        self._dedupe(a, b, time_s, length, two)
        self.drive_t = self.drive.T.tocsr()
        self._tables: dict[tuple[str, bytes], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._tables_lock = threading.Lock()

    def _dedupe(self, a, b, time_s, length, two) -> None:
        # scipy would add up parallel edges between two nodes: keep the cheapest of each pair instead.
        def build(src, dst, w):
            order = np.lexsort((w, dst, src))
            src, dst, w = src[order], dst[order], w[order]
            first = np.ones(len(src), dtype=bool)
            first[1:] = (src[1:] != src[:-1]) | (dst[1:] != dst[:-1])
            keep = first & (src != dst)
            return csr_matrix((w[keep], (src[keep], dst[keep])), shape=(self.n, self.n)), order, keep

        src = np.concatenate([a, b[two]])
        dst = np.concatenate([b, a[two]])
        self.drive, order, keep = build(src, dst, np.concatenate([time_s, time_s[two]]))
        lengths = np.concatenate([length, length[two]])[order][keep]
        self.drive_length = csr_matrix((lengths, (src[order][keep], dst[order][keep])), shape=(self.n, self.n))
        self.walk, _, _ = build(np.concatenate([a, b]), np.concatenate([b, a]), np.concatenate([length, length]))

    def _xy(self, lon: Any, lat: Any) -> np.ndarray:
        k = math.pi / 180 * EARTH_R
        return np.column_stack([np.asarray(lon) * k * math.cos(math.radians(self._lat0)), np.asarray(lat) * k])

    def snap(self, lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
        """Nearest node of each point and the straight-line distance to it in metres."""
        if self._tree is None:
            raise ValidationFailed("尚无路网数据：请导入路网或生成演示路网", details=[ErrorDetail("road_graph", "空")])
        dist, idx = self._tree.query(self._xy(np.atleast_1d(lon), np.atleast_1d(lat)))
        return idx, dist

    def _search(self, mode: str, sources: np.ndarray, *, limit: float = np.inf, reverse: bool = False):
        graph = self.walk if mode == "walk" else (self.drive_t if reverse else self.drive)
        return dijkstra(graph, directed=True, indices=sources, limit=limit, return_predecessors=True)

    def _path_length(self, pred: np.ndarray, target: int, reverse: bool) -> float:
        """Length in metres of the fastest driving path ending at ``target`` (from the search's root)."""
        total, node = 0.0, target
        indptr, indices, data = self.drive_length.indptr, self.drive_length.indices, self.drive_length.data
        while pred[node] >= 0:
            u, v = (node, pred[node]) if reverse else (pred[node], node)
            row = slice(indptr[u], indptr[u + 1])
            total += float(data[row][indices[row] == v][0])
            node = pred[node]
        return total

    def nearest(
        self,
        lon: float,
        lat: float,
        targets: list[tuple[float, float]],
        *,
        k: int = 5,
        mode: str = "drive",
        first_limit_s: float = 900.0,
        sparse_targets: int = SPARSE_TARGETS,
    ) -> list[Route]:
        """The ``k`` targets reached soonest from (lon, lat), driving or walking; unreachable ones left out.

        With at most ``sparse_targets`` targets, read from the targets' table (``_target_table``). Otherwise
        the Dijkstra search is bounded: first by a guess from the straight-line distance of the k-th nearest
        target at the slowest road speed, then widened (×4) until the k-th best travel time lies within the
        bound, which makes the answer exact (anything beyond the bound is slower)."""
        if not targets:
            return []
        (origin,), (off,) = self.snap(lon, lat)
        t_nodes, t_off = self.snap([t[0] for t in targets], [t[1] for t in targets])
        if len(targets) <= sparse_targets and len(targets) * self.n <= SPARSE_CELLS:
            return self._nearest_from_table(int(origin), float(off), t_nodes, t_off, k, mode)
        speed = WALK_SPEED_MS if mode == "walk" else ACCESS_SPEED_MS
        xy = self._xy([lon], [lat])[0]
        straight = np.sort(np.hypot(*(self._xy([t[0] for t in targets], [t[1] for t in targets]) - xy).T))
        kth = float(straight[min(k, len(straight)) - 1])
        slowest = WALK_SPEED_MS if mode == "walk" else self._vmin
        limit_s = max(first_limit_s, 1.5 * kth / slowest)
        while True:
            limit = limit_s * WALK_SPEED_MS if mode == "walk" else limit_s  # walking costs are metres
            cost, pred = self._search(mode, np.array([origin]), limit=limit)
            cost, pred = cost[0], pred[0]
            network = cost[t_nodes]
            reached = np.flatnonzero(np.isfinite(network))
            access = off + t_off[reached]
            if mode == "walk":
                times = (network[reached] + access) / WALK_SPEED_MS
            else:
                times = network[reached] + access / speed
            kth_time = np.sort(times)[k - 1] if len(times) >= k else np.inf
            if kth_time <= limit_s or not np.isfinite(limit_s):
                break
            limit_s = limit_s * 4 if limit_s < 48 * 3600 else np.inf
        out: list[Route] = []
        for j, i in enumerate(reached):
            if mode == "walk":
                out.append(Route(int(i), float(times[j]), float(network[i] + access[j])))
            else:
                out.append(Route(int(i), float(times[j]), math.nan))
        out.sort(key=lambda r: (r.travel_time_s, r.index))
        out = out[:k]
        if mode == "drive":
            out = [
                Route(
                    r.index,
                    r.travel_time_s,
                    self._path_length(pred, int(t_nodes[r.index]), False) + float(off + t_off[r.index]),
                )
                for r in out
            ]
        return out

    def _target_table(self, mode: str, t_nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Network cost from every node to each distinct target node (rows), the predecessors towards the
        target, and the row of each target given: one search per distinct target on the reversed graph."""
        key = (mode, t_nodes.astype(np.int64).tobytes())
        with self._tables_lock:
            table = self._tables.pop(key, None)
            if table is not None:
                self._tables[key] = table  # most recently used last
                return table
        rows, row_of = np.unique(t_nodes, return_inverse=True)
        cost, pred = self._search(mode, rows, reverse=True)
        table = (cost, pred, row_of.reshape(-1))
        with self._tables_lock:
            self._tables[key] = table
            while len(self._tables) > SPARSE_TABLES:
                self._tables.pop(next(iter(self._tables)))
        return table

    def _nearest_from_table(self, origin: int, off: float, t_nodes, t_off, k: int, mode: str) -> list[Route]:
        cost, pred, row_of = self._target_table(mode, t_nodes)
        network = cost[row_of, origin]  # the same costs as a search from the origin on the forward graph
        out: list[Route] = []
        for i in np.flatnonzero(np.isfinite(network)):
            access = off + float(t_off[i])
            if mode == "walk":
                out.append(Route(int(i), float((network[i] + access) / WALK_SPEED_MS), float(network[i] + access)))
            else:
                out.append(Route(int(i), float(network[i] + access / ACCESS_SPEED_MS), access))
        out.sort(key=lambda r: (r.travel_time_s, r.index))
        out = out[:k]
        if mode == "walk":
            return out
        # Driving distance: the length along the fastest path, walked from the origin up the target's tree.
        return [
            Route(r.index, r.travel_time_s, r.distance_m + self._path_length(pred[row_of[r.index]], origin, True))
            for r in out
        ]

    def best(
        self,
        origins: list[tuple[float, float]],
        targets: list[tuple[float, float]],
        *,
        k: int = 1,
        mode: str = "drive",
        towards_origins: bool = False,
    ) -> list[list[Route]]:
        """For every origin, the ``k`` targets reached soonest (unreachable ones left out). With
        ``towards_origins`` the travel goes from the targets to the origins (a fire station driving to a
        village), searched on the reversed graph."""
        if not origins or not targets:
            return [[] for _ in origins]
        o_nodes, o_off = self.snap([o[0] for o in origins], [o[1] for o in origins])
        t_nodes, t_off = self.snap([t[0] for t in targets], [t[1] for t in targets])
        access = o_off[:, None] + t_off[None, :]
        cost, pred = self._search(mode, o_nodes, reverse=towards_origins)
        cost = cost[:, t_nodes]
        times = cost / WALK_SPEED_MS + access / WALK_SPEED_MS if mode == "walk" else cost + access / ACCESS_SPEED_MS
        out = []
        for i in range(len(origins)):
            order = [int(j) for j in np.argsort(times[i], kind="stable")[:k] if np.isfinite(times[i, j])]
            if mode == "walk":
                out.append([Route(j, float(times[i, j]), float(cost[i, j] + access[i, j])) for j in order])
            else:
                out.append(
                    [
                        Route(
                            j,
                            float(times[i, j]),
                            self._path_length(pred[i], int(t_nodes[j]), towards_origins) + float(access[i, j]),
                        )
                        for j in order
                    ]
                )
        return out


# --- storing and loading -------------------------------------------------------------------------


def replace_edges(db: Session, rows: Iterable[dict[str, Any]]) -> int:
    """Replaces the whole road network (the caller's transaction commits it)."""
    rows = list(rows)
    db.execute(delete(RoadEdge))
    for start in range(0, len(rows), 5000):
        db.execute(insert(RoadEdge), rows[start : start + 5000])
    _cache.clear()
    return len(rows)


def graph_from_rows(rows: list[tuple], source: str) -> RoadGraph:
    arr = np.array([r[:6] for r in rows], dtype=float).reshape(-1, 6)
    oneway = np.array([bool(r[6]) for r in rows], dtype=bool)
    return RoadGraph(arr, oneway, source)


_lock = threading.Lock()
_cache: dict[tuple, RoadGraph] = {}


def road_graph(db: Session) -> RoadGraph:
    """The graph of the stored edges, rebuilt when they change."""
    # Edges are replaced as a whole: count, last id and total length tell one network from another.
    count, max_id, total = db.execute(
        select(func.count(RoadEdge.id), func.max(RoadEdge.id), func.sum(RoadEdge.length_m))
    ).one()
    bind = db.get_bind()
    key = (str(getattr(bind, "url", None) or bind.engine.url), count, max_id, round(total or 0, 1))
    with _lock:
        graph = _cache.get(key)
        if graph is None:
            rows = db.execute(
                select(
                    RoadEdge.a_lon,
                    RoadEdge.a_lat,
                    RoadEdge.b_lon,
                    RoadEdge.b_lat,
                    RoadEdge.length_m,
                    RoadEdge.speed_kmh,
                    RoadEdge.oneway,
                )
            ).all()
            sources = db.scalars(select(RoadEdge.source).distinct().limit(5)).all()
            graph = graph_from_rows([tuple(r) for r in rows], ", ".join(sorted(sources)) or "")
            _cache.clear()
            _cache[key] = graph
        return graph


def graph_summary(db: Session) -> dict[str, Any]:
    g = road_graph(db)
    return {"nodes": g.n, "edges": int(g.walk.nnz // 2), "source": g.source, "generated": g.source == GENERATED}
