"""Map pictures drawn on the server with Pillow (no tile server), shared by the capabilities that export
one (the incident report's map, the natural-hazard zoning map): a title, base outlines with their names,
filled overlays, marks, and a legend saying what the colours mean. Coordinates are WGS84 lon/lat, drawn
in an equirectangular projection scaled at the drawing's mean latitude."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc")
SIZE = (1200, 900)
MARGIN = 40
TITLE_H = 40
LEGEND_H = 40

RGBA = tuple[int, int, int, int]


@cache
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_FILES:
        try:
            return ImageFont.truetype(path, size, index=2)  # index 2 of the collection: Simplified Chinese
        except OSError:
            continue
    return ImageFont.load_default()


@dataclass
class Overlay:
    """Areas filled in one colour (GeoJSON geometries)."""

    geometries: list[dict[str, Any]]
    fill: RGBA
    outline: RGBA
    width: int = 1


@dataclass
class Mark:
    lon: float
    lat: float
    fill: RGBA = (210, 20, 20, 255)
    radius: int = 9


@dataclass
class LegendEntry:
    label: str
    fill: RGBA
    outline: RGBA = (90, 90, 90, 255)
    shape: str = "box"  # box | dot


@dataclass
class MapPicture:
    title: str
    base: list[dict[str, Any]] = field(default_factory=list)  # GeoJSON features with properties.name
    overlays: list[Overlay] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    size: tuple[int, int] = SIZE


def _polygons(geom: BaseGeometry) -> Iterable:
    return geom.geoms if hasattr(geom, "geoms") else [geom]


def draw(picture: MapPicture) -> bytes:
    """PNG bytes of the picture, framed on everything it holds."""
    base = [(shape(f["geometry"]), f.get("properties", {}).get("name", "")) for f in picture.base if f.get("geometry")]
    overlays = [(o, [shape(g) for g in o.geometries if g]) for o in picture.overlays]
    bounds = [g.bounds for g, _ in base] + [g.bounds for _, gs in overlays for g in gs]
    bounds += [(m.lon, m.lat, m.lon, m.lat) for m in picture.marks]
    if not bounds:
        bounds = [(0.0, 0.0, 1.0, 1.0)]
    minx, miny = min(b[0] for b in bounds), min(b[1] for b in bounds)
    maxx, maxy = max(b[2] for b in bounds), max(b[3] for b in bounds)
    width, height = picture.size
    kx = math.cos(math.radians((miny + maxy) / 2))
    w, h = width - 2 * MARGIN, height - 2 * MARGIN - TITLE_H
    scale = min(w / max((maxx - minx) * kx, 1e-9), h / max(maxy - miny, 1e-9))

    def xy(lon: float, lat: float, *_: float) -> tuple[float, float]:
        return MARGIN + (lon - minx) * kx * scale, MARGIN + TITLE_H + (maxy - lat) * scale

    img = Image.new("RGB", picture.size, "white")
    pen = ImageDraw.Draw(img, "RGBA")
    pen.text((MARGIN, 10), picture.title, fill="black", font=font(26))
    for geom, _name in base:
        for poly in _polygons(geom):
            if poly.geom_type == "Polygon":
                pen.polygon([xy(*c) for c in poly.exterior.coords], fill=(240, 244, 248, 255),
                            outline=(90, 90, 90, 255))
    for o, geoms in overlays:
        for geom in geoms:
            for poly in _polygons(geom):
                if poly.geom_type != "Polygon":
                    continue
                ring = [xy(*c) for c in poly.exterior.coords]
                pen.polygon(ring, fill=o.fill, outline=o.outline)
                if o.width > 1:
                    pen.line(ring, fill=o.outline, width=o.width)
    for geom, name in base:
        c = geom.representative_point()
        x, y = xy(c.x, c.y)
        pen.text((x, y), name, fill=(60, 60, 60), font=font(16), anchor="mm")
    for mk in picture.marks:
        x, y = xy(mk.lon, mk.lat)
        r = mk.radius
        pen.ellipse((x - r, y - r, x + r, y + r), fill=mk.fill, outline="white", width=2)
    lx, ly = MARGIN, height - 30
    for entry in picture.legend:
        if entry.shape == "dot":
            pen.ellipse((lx, ly, lx + 16, ly + 16), fill=entry.fill)
            lx += 24
        else:
            pen.rectangle((lx, ly, lx + 24, ly + 16), fill=entry.fill, outline=entry.outline)
            lx += 32
        pen.text((lx, ly - 2), entry.label, fill="black", font=font(16))
        lx += int(pen.textlength(entry.label, font=font(16))) + 24
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
