"""An offline base map: raster tiles from a local MBTiles (SQLite) or PMTiles file, served by Yingji at
``/tiles/{z}/{x}/{y}`` so that the map needs no tile server and no internet connection.

MBTiles stores rows in the TMS scheme (row 0 at the south), the map asks in the XYZ scheme (row 0 at the
north): the row is flipped here. Only raster tiles (PNG, JPEG, WebP) are served: Leaflet draws images, and
a vector archive would need a renderer Yingji does not ship."""

from __future__ import annotations

import gzip
import mmap
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from pmtiles.reader import Reader
from pmtiles.tile import Compression, TileType

MEDIA = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}
_PM_TYPES = {TileType.PNG: "png", TileType.JPEG: "jpg", TileType.WEBP: "webp"}


class TileSourceError(Exception):
    """The configured file is missing, unreadable, or not a raster tile archive (message in Chinese)."""


@dataclass(frozen=True)
class TileInfo:
    path: str
    kind: str  # mbtiles / pmtiles
    format: str  # png / jpg / webp
    name: str
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float] | None  # west, south, east, north (WGS84)
    attribution: str

    @property
    def media_type(self) -> str:
        return MEDIA[self.format]


class MBTiles:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()  # one read-only connection per thread (sqlite3 objects are not shared)
        meta = dict(self._conn().execute("SELECT name, value FROM metadata").fetchall())
        fmt = (meta.get("format") or "png").lower()
        if fmt not in MEDIA:
            raise TileSourceError(f"MBTiles 文件的瓦片格式为 {fmt}，只支持栅格瓦片（png / jpg / webp）")
        zooms = self._conn().execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
        bounds = None
        if meta.get("bounds"):
            try:
                w, s, e, n = (float(v) for v in meta["bounds"].split(","))
                bounds = (w, s, e, n)
            except ValueError:
                bounds = None
        self.info = TileInfo(
            path=str(path),
            kind="mbtiles",
            format="jpg" if fmt == "jpeg" else fmt,
            name=meta.get("name") or path.stem,
            min_zoom=int(meta.get("minzoom") or zooms[0] or 0),
            max_zoom=int(meta.get("maxzoom") or zooms[1] or 18),
            bounds=bounds,
            attribution=meta.get("attribution") or "",
        )

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
                conn.execute("SELECT 1 FROM tiles LIMIT 1")
            except sqlite3.Error as exc:
                raise TileSourceError(f"无法读取 MBTiles 文件 {self.path}：{exc}") from None
            self._local.conn = conn
        return conn

    def get(self, z: int, x: int, y: int) -> bytes | None:
        row = (
            self._conn()
            .execute(
                "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                (z, x, (1 << z) - 1 - y),
            )
            .fetchone()
        )
        return bytes(row[0]) if row else None


class PMTiles:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = path.open("rb")
        mapping = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        self._reader = Reader(lambda offset, length: mapping[offset : offset + length])
        try:
            header = self._reader.header()
            meta = self._reader.metadata()
        except Exception as exc:  # the library raises bare exceptions on a foreign file
            raise TileSourceError(f"不是有效的 PMTiles 文件 {path}：{exc}") from None
        fmt = _PM_TYPES.get(header["tile_type"])
        if fmt is None:
            raise TileSourceError(
                f"PMTiles 文件的瓦片类型为 {header['tile_type'].name}，只支持栅格瓦片（png / jpg / webp）"
            )
        self._gzip = header["tile_compression"] == Compression.GZIP
        self.info = TileInfo(
            path=str(path),
            kind="pmtiles",
            format=fmt,
            name=(meta or {}).get("name") or path.stem,
            min_zoom=header["min_zoom"],
            max_zoom=header["max_zoom"],
            bounds=(
                header["min_lon_e7"] / 1e7,
                header["min_lat_e7"] / 1e7,
                header["max_lon_e7"] / 1e7,
                header["max_lat_e7"] / 1e7,
            ),
            attribution=(meta or {}).get("attribution") or "",
        )

    def get(self, z: int, x: int, y: int) -> bytes | None:
        data = self._reader.get(z, x, y)
        if data is None:
            return None
        return gzip.decompress(data) if self._gzip else bytes(data)


_opened: dict[str, MBTiles | PMTiles] = {}
_lock = threading.Lock()


def open_source(path: str | Path) -> MBTiles | PMTiles:
    """The tile archive at ``path`` (opened once per process)."""
    p = Path(path)
    key = str(p.resolve())
    with _lock:
        if key in _opened:
            return _opened[key]
        if not p.is_file():
            raise TileSourceError(f"离线底图文件不存在：{p}")
        if p.suffix.lower() == ".mbtiles":
            source: MBTiles | PMTiles = MBTiles(p)
        elif p.suffix.lower() == ".pmtiles":
            source = PMTiles(p)
        else:
            raise TileSourceError(f"离线底图须为 .mbtiles 或 .pmtiles 文件：{p.name}")
        _opened[key] = source
        return source
