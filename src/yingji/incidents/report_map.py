"""The incident report's map picture, drawn on the server (``core/mapdraw``, no tile server): the
district's township outlines with their names, the affected area hatched, and the incident's place as a
red mark. Coordinates are WGS84 lon/lat."""

from __future__ import annotations

from yingji.core.mapdraw import SIZE, LegendEntry, MapPicture, Mark, Overlay
from yingji.core.mapdraw import draw as draw_picture

__all__ = ["SIZE", "draw"]

AREA_FILL = (255, 140, 0, 90)
AREA_LINE = (220, 90, 0, 255)
MARK = (210, 20, 20, 255)


def draw(*, townships: list[dict], point: tuple[float, float] | None, area: dict | None, title: str) -> bytes:
    """PNG bytes. ``townships``: GeoJSON features (geometry + properties.name)."""
    return draw_picture(MapPicture(
        title=title, base=townships,
        overlays=[Overlay([area], AREA_FILL, AREA_LINE, width=3)] if area else [],
        marks=[Mark(point[0], point[1], MARK)] if point else [],
        legend=[LegendEntry("受影响区域", AREA_FILL, AREA_LINE), LegendEntry("事发地点", MARK, shape="dot")]))
