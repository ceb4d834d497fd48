"""The base maps a deployment offers on the 一张图 map, from ``YINGJI_MAP_BASEMAPS`` (a JSON list) and
``YINGJI_MAP_TILES`` (a local MBTiles / PMTiles file served at /tiles). Without either the map shows only
the boundaries (the outline map), which needs nothing.

An entry: ``{"name": "天地图矢量", "type": "xyz" | "wmts", "url": "...", "crs": "wgs84" | "gcj02",
"attribution": "...", "subdomains": "01234567", "max_zoom": 18}``; a WMTS entry adds ``layer``,
``tilematrixset`` (a Web-Mercator matrix set such as 天地图's ``w``), ``style`` and ``format``, and is
requested as KVP GetTile. ``crs`` says in which system the tiles are drawn: ``gcj02`` (高德-style maps)
moves every data layer onto it (see geo.coords)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from yingji.geo.coords import SYSTEMS, WGS84
from yingji.geo.tiles import TileSourceError, open_source

OUTLINE = {"id": "outline", "name": "轮廓底图（行政区划）", "type": "none", "url": "", "crs": WGS84, "attribution": ""}


@dataclass
class BaseMaps:
    items: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # shown on the map page, in Chinese


def _wmts_url(entry: dict[str, Any]) -> str:
    query = urlencode(
        {
            "SERVICE": "WMTS",
            "REQUEST": "GetTile",
            "VERSION": "1.0.0",
            "LAYER": entry["layer"],
            "STYLE": entry.get("style") or "default",
            "TILEMATRIXSET": entry["tilematrixset"],
            "FORMAT": entry.get("format") or "tiles",
        }
    )
    base = entry["url"]
    # Leaflet fills {z}/{x}/{y}; they must stay unescaped.
    return f"{base}{'&' if '?' in base else '?'}{query}&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}"


def _check(n: int, entry: Any) -> tuple[dict[str, Any] | None, str | None]:
    where = f"底图配置第 {n + 1} 项"
    if not isinstance(entry, dict):
        return None, f"{where}须为对象"
    kind = entry.get("type", "xyz")
    if kind not in ("xyz", "wmts"):
        return None, f"{where}：type 须为 xyz 或 wmts"
    url = entry.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://", "/")):
        return None, f"{where}：url 须为 http(s) 地址"
    crs = entry.get("crs", WGS84)
    if crs not in SYSTEMS:
        return None, f"{where}：crs 须为 wgs84 或 gcj02"
    if kind == "wmts":
        missing = [k for k in ("layer", "tilematrixset") if not entry.get(k)]
        if missing:
            return None, f"{where}：WMTS 须填写 {', '.join(missing)}"
        url = _wmts_url(entry)
    elif not all(p in url for p in ("{z}", "{x}", "{y}")):
        return None, f"{where}：XYZ 地址须含 {{z}}、{{x}}、{{y}}"
    return {
        "id": f"cfg{n + 1}",
        "name": str(entry.get("name") or f"底图 {n + 1}"),
        "type": kind,
        "url": url,
        "crs": crs,
        "attribution": str(entry.get("attribution") or ""),
        "subdomains": str(entry.get("subdomains") or "abc"),
        "min_zoom": int(entry.get("min_zoom", 0)),
        "max_zoom": int(entry.get("max_zoom", 18)),
    }, None


def configured(*, basemaps: list[Any], tiles_file: str, tiles_crs: str = WGS84) -> BaseMaps:
    """The base maps to offer, the local file's first (it works offline), the outline map last."""
    out = BaseMaps()
    if tiles_file:
        try:
            info = open_source(tiles_file).info
            out.items.append(
                {
                    "id": "local",
                    "name": f"离线底图（{info.name}）",
                    "type": "xyz",
                    "url": "/tiles/{z}/{x}/{y}",
                    "crs": tiles_crs if tiles_crs in SYSTEMS else WGS84,
                    "attribution": info.attribution,
                    "subdomains": "",
                    "min_zoom": info.min_zoom,
                    "max_zoom": info.max_zoom,
                }
            )
        except TileSourceError as exc:
            out.problems.append(str(exc))
    for n, entry in enumerate(basemaps or []):
        item, problem = _check(n, entry)
        if item:
            out.items.append(item)
        if problem:
            out.problems.append(problem)
    out.items.append(dict(OUTLINE))
    return out
