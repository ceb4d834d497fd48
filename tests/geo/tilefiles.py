"""Small tile archives made by the tests: solid-colour PNG tiles in an MBTiles (SQLite) or PMTiles file."""

from __future__ import annotations

import math
import sqlite3
import struct
import zlib
from pathlib import Path

from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer


def png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    """A solid-colour RGB PNG (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * size
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


def tiles_over(west: float, south: float, east: float, north: float, zooms: range) -> list[tuple[int, int, int]]:
    """XYZ tile addresses covering a box (Web Mercator, as Leaflet asks)."""

    def xy(lon: float, lat: float, z: int) -> tuple[int, int]:
        n = 2**z
        r = math.radians(lat)
        return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(r)) / math.pi) / 2 * n)

    out = []
    for z in zooms:
        x0, y0 = xy(west, north, z)
        x1, y1 = xy(east, south, z)
        out += [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    return out


def make_mbtiles(
    path: Path, tiles: dict[tuple[int, int, int], bytes], *, fmt: str = "png", name: str = "测试离线底图"
) -> Path:
    """``tiles`` keyed by XYZ address; stored in MBTiles' TMS rows (flipped)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    conn.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    zs = [z for z, _, _ in tiles]
    conn.executemany(
        "INSERT INTO metadata VALUES (?, ?)",
        [
            ("name", name),
            ("format", fmt),
            ("minzoom", str(min(zs))),
            ("maxzoom", str(max(zs))),
            ("attribution", "测试瓦片"),
        ],
    )
    conn.executemany(
        "INSERT INTO tiles VALUES (?, ?, ?, ?)", [(z, x, (1 << z) - 1 - y, data) for (z, x, y), data in tiles.items()]
    )
    conn.commit()
    conn.close()
    return path


def make_pmtiles(path: Path, tiles: dict[tuple[int, int, int], bytes]) -> Path:
    with path.open("wb") as f:
        w = Writer(f)
        for tile_id, data in sorted((zxy_to_tileid(*k), v) for k, v in tiles.items()):
            w.write_tile(tile_id, data)
        w.finalize(
            {
                "tile_type": TileType.PNG,
                "tile_compression": Compression.NONE,
                "min_lon_e7": int(108.9 * 1e7),
                "min_lat_e7": int(24.0 * 1e7),
                "max_lon_e7": int(109.8 * 1e7),
                "max_lat_e7": int(24.6 * 1e7),
                "center_zoom": 10,
                "center_lon_e7": int(109.3 * 1e7),
                "center_lat_e7": int(24.25 * 1e7),
            },
            {"name": "测试 PMTiles", "attribution": "测试瓦片"},
        )
    return path
