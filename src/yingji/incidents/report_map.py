"""The incident report's map picture, drawn on the server with Pillow (no tile server): the district's
township outlines with their names, the affected area hatched, and the incident's place as a red mark.
Coordinates are WGS84 lon/lat, drawn in an equirectangular projection scaled at the district's latitude."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from functools import cache

from PIL import Image, ImageDraw, ImageFont
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc")
SIZE = (1200, 900)
MARGIN = 40


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_FILES:
        try:
            return ImageFont.truetype(path, size, index=2)  # index 2 of the collection: Simplified Chinese
        except OSError:
            continue
    return ImageFont.load_default()


def _polygons(geom: BaseGeometry) -> Iterable:
    return geom.geoms if hasattr(geom, "geoms") else [geom]


def draw(*, townships: list[dict], point: tuple[float, float] | None, area: dict | None, title: str) -> bytes:
    """PNG bytes. ``townships``: GeoJSON features (geometry + properties.name)."""
    shapes = [(shape(f["geometry"]), f["properties"].get("name", "")) for f in townships if f.get("geometry")]
    area_geom = shape(area) if area else None
    bounds = [g.bounds for g, _ in shapes] + ([area_geom.bounds] if area_geom is not None else [])
    if point:
        bounds.append((point[0], point[1], point[0], point[1]))
    if not bounds:
        bounds = [(0.0, 0.0, 1.0, 1.0)]
    minx, miny = min(b[0] for b in bounds), min(b[1] for b in bounds)
    maxx, maxy = max(b[2] for b in bounds), max(b[3] for b in bounds)
    kx = math.cos(math.radians((miny + maxy) / 2))
    w, h = SIZE[0] - 2 * MARGIN, SIZE[1] - 2 * MARGIN - 40
    scale = min(w / max((maxx - minx) * kx, 1e-9), h / max(maxy - miny, 1e-9))

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return MARGIN + (lon - minx) * kx * scale, MARGIN + 40 + (maxy - lat) * scale

    img = Image.new("RGB", SIZE, "white")
    pen = ImageDraw.Draw(img, "RGBA")
    pen.text((MARGIN, 10), title, fill="black", font=_font(26))
    for geom, _name in shapes:
        for poly in _polygons(geom):
            pen.polygon([xy(*c) for c in poly.exterior.coords], fill=(240, 244, 248, 255), outline=(90, 90, 90, 255))
    if area_geom is not None:
        for poly in _polygons(area_geom):
            ring = [xy(*c) for c in poly.exterior.coords]
            pen.polygon(ring, fill=(255, 140, 0, 90), outline=(220, 90, 0, 255))
            pen.line(ring, fill=(220, 90, 0, 255), width=3)
    for geom, name in shapes:
        c = geom.representative_point()
        x, y = xy(c.x, c.y)
        pen.text((x, y), name, fill=(60, 60, 60), font=_font(16), anchor="mm")
    if point:
        x, y = xy(*point)
        pen.ellipse((x - 9, y - 9, x + 9, y + 9), fill=(210, 20, 20, 255), outline="white", width=2)
    # Legend: what the colours mean.
    lx, ly = MARGIN, SIZE[1] - 30
    pen.rectangle((lx, ly, lx + 24, ly + 16), fill=(255, 140, 0, 90), outline=(220, 90, 0, 255))
    pen.text((lx + 32, ly - 2), "受影响区域", fill="black", font=_font(16))
    pen.ellipse((lx + 140, ly, lx + 156, ly + 16), fill=(210, 20, 20, 255))
    pen.text((lx + 164, ly - 2), "事发地点", fill="black", font=_font(16))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
