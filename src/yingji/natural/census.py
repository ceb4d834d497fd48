"""The risk-census layers as data (``data/census_layers.toml``) and the reading of census files: Excel
sheets, GeoJSON, zipped Shapefiles and GeoPackages (pyogrio, GDAL's maintained reader), each feature
with its number in the file, its attributes and its geometry in the file's own coordinate system.
No database here: ``service/census.py`` converts, checks and stores."""

from __future__ import annotations

import tomllib
import warnings
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import shapely

from yingji.core import crs as crs_mod
from yingji.core import excel
from yingji.core.errors import ErrorDetail, ValidationFailed, invalid

FORMATS = {".xlsx": "xlsx", ".geojson": "geojson", ".json": "geojson", ".zip": "shapefile", ".gpkg": "gpkg"}
MAX_FEATURES = 50_000


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: str  # int | float | text
    required: bool = False
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class CensusKind:
    key: str
    layer: str
    label: str
    fields: tuple[Field, ...]


@cache
def _data() -> dict[str, Any]:
    text = resources.files("yingji.natural").joinpath("data", "census_layers.toml").read_text("utf-8")
    return tomllib.loads(text)


def layers() -> dict[str, str]:
    return dict(_data()["layer"])


@cache
def census_kinds() -> dict[str, CensusKind]:
    return {k: CensusKind(k, v["layer"], v["label"], tuple(Field(**f) for f in v.get("fields", [])))
            for k, v in _data()["kind"].items()}


def census_kind(key: str) -> CensusKind:
    if key not in census_kinds():
        raise invalid("kind", f"未知的普查图层类型：{key}；可选：{'、'.join(census_kinds())}")
    return census_kinds()[key]


@dataclass
class RawFeature:
    """One row or feature as read: ``where`` names it (第3行 / 要素3), attributes by their file names."""

    where: str
    attributes: dict[str, Any]
    geometry: Any | None  # Shapely, in the file's CRS
    geometry_field: str = "几何"


@dataclass
class ReadFile:
    file_format: str
    file_crs: crs_mod.SaidCrs | None
    features: list[RawFeature]


def file_format(filename: str) -> str:
    name = (filename or "").lower()
    for ext, fmt in FORMATS.items():
        if name.endswith(ext):
            return fmt
    raise invalid("file", "请上传 .xlsx、.geojson、.zip（Shapefile 的 .shp/.shx/.dbf/.prj 打包）或 .gpkg 文件")


def excel_columns(kind: CensusKind) -> list[excel.Column]:
    cols = [excel.Column("name", "名称", required=True), excel.Column("lon", "经度", "float", required=True),
            excel.Column("lat", "纬度", "float", required=True)]
    types = {"int": "int", "float": "float", "text": "str"}
    return cols + [excel.Column(f.key, f.label, types[f.type]) for f in kind.fields]


def template(kind: CensusKind) -> bytes:
    return excel.template(excel_columns(kind), title=kind.label, example={"name": f"示例{kind.label}",
                                                                         "lon": 109.33, "lat": 24.25})


def read(data: bytes, filename: str, kind: CensusKind) -> ReadFile:
    fmt = file_format(filename)
    if fmt == "xlsx":
        rows = excel.read(data, excel_columns(kind))
        out = []
        for row in rows:
            v = dict(row.values)
            lon, lat = v.pop("lon"), v.pop("lat")
            out.append(RawFeature(f"第{row.number}行", v, shapely.Point(lon, lat), geometry_field="经度"))
        return ReadFile(fmt, None, out)
    return _read_gis(data, fmt)


def _plain(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:  # NaN: an empty numeric cell
        return None
    return value


def _read_gis(data: bytes, fmt: str) -> ReadFile:
    from pyogrio import raw
    from pyogrio.errors import DataLayerError, DataSourceError

    def attempt(encoding: str | None) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return raw.read(data, encoding=encoding)

    try:
        try:  # a shapefile's .cpg says its encoding; without one, UTF-8, else GBK (common in Chinese data)
            meta, _fids, geoms, values = attempt("UTF-8" if fmt == "shapefile" and not _has_cpg(data) else None)
        except UnicodeDecodeError:
            meta, _fids, geoms, values = attempt("GBK")
    except (DataSourceError, DataLayerError, ValueError, RuntimeError) as exc:
        raise ValidationFailed("无法读取文件：" + {"shapefile": "请上传包含 .shp、.shx、.dbf（及 .prj）的 .zip",
                                               "gpkg": "不是有效的 GeoPackage", "geojson": "不是有效的 GeoJSON"}[fmt],
                               details=[ErrorDetail("file", str(exc)[:200])]) from None
    if len(geoms) > MAX_FEATURES:
        raise invalid("file", f"一次最多导入 {MAX_FEATURES} 个要素")
    names = [str(n) for n in meta["fields"]]
    file_crs = crs_mod.parse(meta["crs"], field="file") if meta.get("crs") else None
    out = []
    for i, wkb in enumerate(geoms):
        attributes = {name: _plain(values[j][i]) for j, name in enumerate(names)}
        geom = shapely.from_wkb(wkb) if wkb is not None else None
        out.append(RawFeature(f"要素{i + 1}", attributes, geom))
    return ReadFile(fmt, file_crs, out)


def _has_cpg(data: bytes) -> bool:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return any(n.lower().endswith(".cpg") for n in z.namelist())
    except zipfile.BadZipFile:
        return False


def typed(kind: CensusKind, attributes: dict[str, Any]) -> tuple[str | None, dict[str, Any], list[tuple[str, str]]]:
    """The feature's name and its kind's fields typed, or the (field label, message) problems."""
    by_name = {str(k).strip().lower(): v for k, v in attributes.items()}
    problems: list[tuple[str, str]] = []

    def pick(key: str, label: str) -> Any:
        for n in (key.lower(), label.lower()):
            v = by_name.get(n)
            if v is not None and not (isinstance(v, str) and not v.strip()):
                return v.strip() if isinstance(v, str) else v
        return None

    name = pick("name", "名称")
    if name is None:
        problems.append(("名称", "必填"))
    out: dict[str, Any] = {}
    for f in kind.fields:
        raw_value = pick(f.key, f.label)
        if raw_value is None:
            if f.required:
                problems.append((f.label, "必填"))
            continue
        try:
            value = _convert(f, raw_value)
        except ValueError as exc:
            problems.append((f.label, f"“{str(raw_value)[:30]}”{exc}"))
            continue
        out[f.key] = value
    return (str(name)[:200] if name is not None else None), out, problems


def _convert(f: Field, raw_value: Any) -> Any:
    if f.type == "text":
        return str(int(raw_value)) if isinstance(raw_value, float) and raw_value.is_integer() else str(raw_value)
    if isinstance(raw_value, bool):
        raise ValueError("须为数字")
    try:
        number = float(raw_value)
    except (TypeError, ValueError):
        raise ValueError("须为整数" if f.type == "int" else "须为数字") from None
    if f.type == "int":
        if not number.is_integer():
            raise ValueError("须为整数")
        number = int(number)
    if f.min is not None and number < f.min:
        raise ValueError(f"不能小于 {f.min:g}")
    if f.max is not None and number > f.max:
        raise ValueError(f"不能大于 {f.max:g}")
    return number
