"""Risk-census imports (风险普查, issue 16 point 4): a layer's file read (``natural/census.py``), every
feature converted to WGS84 from the CRS said on import or carried by the file (GCJ-02 included), checked
(its kind's fields, a geometry inside the district and the importer's scope) and stored all-or-nothing:
one bad feature and nothing is imported, every bad feature named with its field. An import replaces the
earlier features of its kind within the importer's scope."""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import mapping
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from yingji.core import crs as crs_mod
from yingji.core.actor import Actor, region_in_scope, require, scope_condition
from yingji.core.clock import utcnow
from yingji.core.errors import ErrorDetail, ValidationFailed, invalid
from yingji.core.pagination import PageParams
from yingji.geo import service as geo_service
from yingji.natural import census
from yingji.natural.models import CensusFeature, CensusImport


def _source_crs(read: census.ReadFile, said: str | None) -> crs_mod.SaidCrs:
    """The CRS to convert from: the one said on import, else the file's; an Excel sheet or a file without
    one is WGS84 only when said so. A said CRS may not contradict the file's, except GCJ-02 (or any CRS)
    over plain lon/lat, which GeoJSON always claims."""
    given = crs_mod.parse(said) if said else None
    if given is None:
        if read.file_crs is not None:
            return read.file_crs
        if read.file_format == "xlsx":
            return crs_mod.parse("EPSG:4326")
        raise invalid("crs", "文件未带坐标系（如 Shapefile 缺少 .prj），请填写坐标系，例如 EPSG:4490 或 GCJ-02")
    if read.file_crs is not None and not read.file_crs.is_wgs84_like and not (
            given.crs is not None and given.crs.equals(read.file_crs.crs)):
        raise invalid("crs", f"所填坐标系 {given.label} 与文件自带的 {read.file_crs.label} 不一致")
    return given


def _located(db: Session, geom: Any, village_code: str | None) -> geo_service.RegionInfo:
    if village_code:
        return geo_service.region_of(db=db, region_code=village_code, levels=("village",),
                                     level_message="须为村（社区）代码", field="村代码")
    p = geom.representative_point()
    if not (-180 <= p.x <= 180 and -90 <= p.y <= 90):
        raise invalid("几何", "换算后的坐标超出经纬度范围，请检查所填坐标系")
    hits = [r for r in geo_service.locate(db=db, lon=p.x, lat=p.y) if r.level == "village"]
    if not hits:
        raise invalid("几何", "不在本区任何村（社区）内，请检查坐标与坐标系")
    return hits[-1]


def import_census(*, db: Session, actor: Actor, kind: str, data: bytes, filename: str,
                  said_crs: str | None = None) -> dict[str, Any]:
    require(actor, "natural.write")
    k = census.census_kind(kind)
    read = census.read(data, filename, k)
    source = _source_crs(read, said_crs)
    errors: list[ErrorDetail] = []
    rows: list[CensusFeature] = []
    for f in read.features:
        name, values, problems = census.typed(k, f.attributes)
        errors += [ErrorDetail(f"{f.where} {label}", f"{name or ''}{'：' if name else ''}{msg}")
                   for label, msg in problems]
        if f.geometry is None or f.geometry.is_empty:
            errors.append(ErrorDetail(f"{f.where} {f.geometry_field}", "缺少几何"))
            continue
        try:
            geom = crs_mod.to_wgs84(f.geometry, source)
        except Exception:  # PROJ refuses a point outside the CRS's area of use
            errors.append(ErrorDetail(f"{f.where} {f.geometry_field}", f"无法从 {source.label} 换算"))
            continue
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            errors.append(ErrorDetail(f"{f.where} {f.geometry_field}", f"几何无效：{reason}"))
            continue
        try:
            village = _located(db, geom, values.get("village_code"))
        except ValidationFailed as exc:
            errors += [ErrorDetail(f"{f.where} {d.field if d.field != '几何' else f.geometry_field}", d.message)
                       for d in exc.details]
            continue
        if not region_in_scope(actor, village.path):
            errors.append(ErrorDetail(f"{f.where} {f.geometry_field}", f"{village.name} 不在本辖区内"))
            continue
        p = geom.representative_point()
        rows.append(CensusFeature(kind=k.key, layer=k.layer, name=name or "", region_path=village.path,
                                  village_code=village.code, geometry=mapping(geom), lon=round(p.x, 7),
                                  lat=round(p.y, 7), values=values, is_demo=False))
    if errors:
        where = sorted({e.field.split(" ")[0] for e in errors})
        raise ValidationFailed(f"有 {len(where)} 个要素（行）有误，整批未导入：" + "、".join(where[:20]),
                               details=errors)
    if not rows:
        raise invalid("file", "文件中没有要素")
    savepoint = db.begin_nested()
    try:
        old = db.scalar(select(func.count()).select_from(CensusFeature).where(
            CensusFeature.kind == k.key, scope_condition(actor, CensusFeature.region_path))) or 0
        db.execute(delete(CensusFeature).where(CensusFeature.kind == k.key,
                                               scope_condition(actor, CensusFeature.region_path)))
        record = CensusImport(kind=k.key, layer=k.layer, filename=(filename or "")[:200],
                              file_format=read.file_format, source_crs=source.label[:200], features=len(rows),
                              replaced=old, region_path=actor.scope_path or "", created_by=actor.id,
                              created_at=utcnow())
        db.add(record)
        db.flush()
        for r in rows:
            r.import_id = record.id
        db.add_all(rows)
        db.flush()
    except Exception:
        savepoint.rollback()
        raise
    savepoint.commit()
    return {"id": record.id, "kind": k.key, "layer": k.layer, "file_format": read.file_format,
            "source_crs": source.label, "converted_to": "EPSG:4326 WGS 84", "imported": len(rows), "replaced": old}


def features(*, db: Session, actor: Actor, kind: str | None = None, layer: str | None = None) -> list[CensusFeature]:
    require(actor, "natural.read")
    q = select(CensusFeature).where(scope_condition(actor, CensusFeature.region_path))
    if kind:
        q = q.where(CensusFeature.kind == census.census_kind(kind).key)
    if layer:
        if layer not in census.layers():
            raise invalid("layer", f"可选：{'、'.join(census.layers())}")
        q = q.where(CensusFeature.layer == layer)
    return list(db.scalars(q.order_by(CensusFeature.id)))


def imports(*, db: Session, actor: Actor, page: PageParams | None = None) -> tuple[list[CensusImport], int]:
    """The imports made within the actor's scope, newest first, and how many there are."""
    require(actor, "natural.read")
    page = page or PageParams(page_size=50)
    query = select(CensusImport).where(scope_condition(actor, CensusImport.region_path))
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.scalars(query.order_by(CensusImport.id.desc()).offset(page.offset).limit(page.page_size)).all()
    return list(rows), total


def layer_geojson(*, db: Session, actor: Actor, kind: str | None = None, layer: str | None = None) -> dict[str, Any]:
    labels = {k.key: k.label for k in census.census_kinds().values()}
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": f.geometry,
         "properties": {"id": f.id, "name": f.name, "kind": f.kind, "kind_label": labels.get(f.kind, f.kind),
                        "layer": f.layer, "village_code": f.village_code, **f.values}}
        for f in features(db=db, actor=actor, kind=kind, layer=layer)]}


def village_population(*, db: Session) -> dict[str, int]:
    """Census population by village (the kind ``population``), where the census gave it."""
    out: dict[str, int] = {}
    for code, values in db.execute(select(CensusFeature.village_code, CensusFeature.values)
                                   .where(CensusFeature.kind == "population")):
        out[code] = out.get(code, 0) + int(values.get("population") or 0)
    return out


def exposed_in(*, db: Session, actor: Actor, geometry: Any,
               kinds: tuple[str, ...] = ("school", "hospital", "critical_facility")) -> list[dict[str, Any]]:
    """Exposed elements of the census (schools, hospitals, critical facilities) in the actor's scope
    meeting an area (a warning's): what the warning reaches beyond the hazard points' households."""
    from shapely.geometry import shape

    area = shape(geometry) if isinstance(geometry, dict) else geometry
    labels = {k.key: k.label for k in census.census_kinds().values()}
    out = []
    require(actor, "natural.read")
    for f in db.scalars(select(CensusFeature).where(CensusFeature.kind.in_(kinds),
                                                    scope_condition(actor, CensusFeature.region_path))
                        .order_by(CensusFeature.id)):
        if area.intersects(shape(f.geometry)):
            out.append({"id": f.id, "kind": f.kind, "kind_label": labels.get(f.kind, f.kind), "name": f.name,
                        "village_code": f.village_code, "lon": f.lon, "lat": f.lat, **f.values})
    return out
