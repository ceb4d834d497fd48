"""Roads and rivers for the map, from an OpenStreetMap XML extract, a GeoJSON file or an ESRI Shapefile
(a ``.zip`` holding .shp/.shx/.dbf, read with pyshp). Files in GCJ-02 are moved to WGS84 on import.

The same readers feed the road graph (``geo.roads.edges_from_file``): a Shapefile of roads can be both
drawn and routed over."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
import zipfile
from typing import Any

import shapefile
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from yingji.core.errors import ErrorDetail, ValidationFailed
from yingji.geo.coords import SYSTEMS, WGS84, converter, transform_geometry
from yingji.geo.models import MapLine, RoadEdge

LAYERS = {"road": "道路", "river": "河流水系"}
# OSM tags read for each layer (the class goes into ``kind``).
_OSM_TAG = {"road": "highway", "river": "waterway"}
_NAME_FIELDS = ("name", "NAME", "Name", "名称", "MC", "ROADNAME", "RNAME")
_KIND_FIELDS = {
    "road": ("highway", "HIGHWAY", "fclass", "class", "KIND"),
    "river": ("waterway", "WATERWAY", "fclass", "class", "KIND"),
}


def _shapefile_features(data: bytes, name: str) -> dict[str, Any]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValidationFailed(
            "Shapefile 须打包为 .zip（含 .shp、.shx、.dbf）", details=[ErrorDetail("file", name)]
        ) from None
    members = {n.lower().rsplit(".", 1)[-1]: n for n in zf.namelist() if "." in n and not n.startswith("__MACOSX")}
    missing = [ext for ext in ("shp", "dbf") if ext not in members]
    if missing:
        raise ValidationFailed("Shapefile 压缩包缺少文件", details=[ErrorDetail("file", f"缺少 .{m}") for m in missing])
    prj = zf.read(members["prj"]).decode("utf-8", "replace") if "prj" in members else ""
    if prj and "GEOGCS" not in prj.upper()[:10] and "PROJCS" in prj.upper():
        # Projected coordinates (metres) cannot be drawn as lon/lat; say so instead of drawing nonsense.
        raise ValidationFailed(
            "Shapefile 为投影坐标，请先转换为经纬度（WGS84 或 GCJ-02）", details=[ErrorDetail("file", ".prj 为 PROJCS")]
        )
    try:
        reader = shapefile.Reader(
            shp=io.BytesIO(zf.read(members["shp"])),
            shx=io.BytesIO(zf.read(members["shx"])) if "shx" in members else None,
            dbf=io.BytesIO(zf.read(members["dbf"])),
            encoding="utf-8",
            encodingErrors="replace",
        )
        return reader.__geo_interface__
    except shapefile.ShapefileException as exc:
        raise ValidationFailed("无法读取 Shapefile", details=[ErrorDetail("file", str(exc))]) from None


def _osm_features(data: bytes, layer: str) -> dict[str, Any]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValidationFailed("无法解析 OSM 文件", details=[ErrorDetail("file", str(exc))]) from None
    nodes = {n.get("id"): (float(n.get("lon")), float(n.get("lat"))) for n in root.iter("node")}
    tag = _OSM_TAG[layer]
    features = []
    for way in root.iter("way"):
        tags = {t.get("k"): t.get("v") for t in way.iter("tag")}
        if not tags.get(tag):
            continue
        pts = [list(nodes[r.get("ref")]) for r in way.iter("nd") if r.get("ref") in nodes]
        if len(pts) >= 2:
            features.append(
                {
                    "type": "Feature",
                    "properties": {**tags, tag: tags[tag]},
                    "geometry": {"type": "LineString", "coordinates": pts},
                }
            )
    return {"type": "FeatureCollection", "features": features}


def read_features(name: str, data: bytes, *, layer: str = "road") -> dict[str, Any]:
    """A GeoJSON FeatureCollection from an .osm, .geojson/.json or zipped Shapefile (.zip)."""
    lower = name.lower()
    if lower.endswith((".geojson", ".json")):
        try:
            parsed = json.loads(data)
        except ValueError:
            raise ValidationFailed("GeoJSON 无法解析", details=[ErrorDetail("file", "JSON 格式错误")]) from None
        if not isinstance(parsed, dict) or parsed.get("type") != "FeatureCollection":
            raise ValidationFailed("文件须为 GeoJSON FeatureCollection", details=[ErrorDetail("file", "类型不符")])
        return parsed
    if lower.endswith(".osm"):
        return _osm_features(data, layer)
    if lower.endswith(".zip"):
        return _shapefile_features(data, name)
    raise ValidationFailed(
        "只支持 .osm（OpenStreetMap XML）、.geojson 或 .zip（Shapefile）文件", details=[ErrorDetail("file", name)]
    )


def _pick(props: dict[str, Any], fields: tuple[str, ...]) -> str:
    for f in fields:
        if props.get(f) not in (None, ""):
            return str(props[f])
    return ""


def lines_from_features(fc: dict[str, Any], *, layer: str, source: str, crs: str = WGS84) -> list[dict[str, Any]]:
    """Rows for ``map_lines``; every bad feature is named (all or nothing)."""
    to_wgs = converter(crs, WGS84)
    rows, errors = [], []
    for n, feat in enumerate(fc.get("features") or []):
        geom, props = (feat or {}).get("geometry") or {}, (feat or {}).get("properties") or {}
        if geom.get("type") not in ("LineString", "MultiLineString"):
            errors.append(ErrorDetail(f"features[{n}]", "几何须为 LineString 或 MultiLineString"))
            continue
        flat = geom["coordinates"] if geom["type"] == "MultiLineString" else [geom["coordinates"]]
        try:
            bad = any(not (-180 <= float(p[0]) <= 180 and -90 <= float(p[1]) <= 90) for line in flat for p in line)
        except (TypeError, ValueError, IndexError):
            bad = True
        if bad:
            errors.append(ErrorDetail(f"features[{n}]", "坐标须为经纬度 [经度, 纬度]"))
            continue
        if to_wgs:
            geom = transform_geometry(geom, to_wgs)
        rows.append(
            {
                "layer": layer,
                "name": _pick(props, _NAME_FIELDS)[:100],
                "kind": _pick(props, _KIND_FIELDS[layer])[:30],
                "geometry": {"type": geom["type"], "coordinates": geom["coordinates"]},
                "source": source[:100],
            }
        )
    if errors:
        raise ValidationFailed(f"{LAYERS[layer]}数据有误，未导入", details=errors[:50])
    if not rows:
        raise ValidationFailed(f"文件中没有{LAYERS[layer]}线", details=[ErrorDetail("file", "无线要素")])
    return rows


def import_lines(*, db: Session, layer: str, name: str, data: bytes, crs: str = WGS84) -> int:
    """Replaces one layer's lines with the file's (the caller's transaction commits it)."""
    if layer not in LAYERS:
        raise ValidationFailed("图层须为 road 或 river", details=[ErrorDetail("layer", layer)])
    if crs not in SYSTEMS:
        raise ValidationFailed("坐标系须为 wgs84 或 gcj02", details=[ErrorDetail("crs", crs)])
    rows = lines_from_features(read_features(name, data, layer=layer), layer=layer, source=name, crs=crs)
    db.execute(delete(MapLine).where(MapLine.layer == layer))
    db.execute(insert(MapLine), rows)
    db.flush()
    return len(rows)


def layer_geojson(*, db: Session, layer: str) -> dict[str, Any]:
    """The layer's lines. Roads fall back to the road graph's edges (merged per road class) when no road
    lines were imported, so the roads the travel times use are visible."""
    rows = db.execute(
        select(MapLine.name, MapLine.kind, MapLine.geometry, MapLine.source).where(MapLine.layer == layer)
    ).all()
    features = [
        {"type": "Feature", "properties": {"name": r.name, "kind": r.kind, "source": r.source}, "geometry": r.geometry}
        for r in rows
    ]
    if not features and layer == "road" and db.scalar(select(func.count(RoadEdge.id))):
        by_class: dict[tuple[str, str], list] = {}
        for e in db.execute(
            select(RoadEdge.a_lon, RoadEdge.a_lat, RoadEdge.b_lon, RoadEdge.b_lat, RoadEdge.highway, RoadEdge.source)
        ):
            by_class.setdefault((e.highway, e.source), []).append([[e.a_lon, e.a_lat], [e.b_lon, e.b_lat]])
        features = [
            {
                "type": "Feature",
                "properties": {"name": "", "kind": hw, "source": src},
                "geometry": {"type": "MultiLineString", "coordinates": lines},
            }
            for (hw, src), lines in sorted(by_class.items())
        ]
    return {"type": "FeatureCollection", "features": features}
