"""Charts drawn on the server for the evaluation reports (Pillow: the platform has no plotting library):
a bar chart of one series per year with an optional target line, and a horizontal bar chart of shares
against their targets. PNG bytes, CJK labels in the machine's Noto Sans CJK (the default font otherwise)."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_PATHS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc")
BAR, TARGET, GRID, TEXT = (37, 99, 175), (200, 40, 40), (220, 220, 220), (30, 30, 30)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for p in FONT_PATHS:
        if Path(p).exists():
            return ImageFont.truetype(p, size)
    return ImageFont.load_default()


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def bars_by_year(title: str, values: dict[int, float | None], *, target: float | None = None, unit: str = "",
                 width: int = 900, height: int = 420) -> bytes:
    """One bar per year; a missing year is drawn as “缺”, never as a zero bar."""
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    d.text((20, 12), title + (f"（{unit}）" if unit else ""), fill=TEXT, font=_font(22))
    left, right, top, bottom = 70, width - 30, 60, height - 50
    known = [v for v in values.values() if v is not None]
    top_value = max(known + ([target] if target is not None else []) + [0]) or 1
    top_value *= 1.15
    for k in range(5):
        y = bottom - (bottom - top) * k / 4
        d.line((left, y, right, y), fill=GRID)
        d.text((8, y - 8), f"{top_value * k / 4:.4g}", fill=TEXT, font=_font(13))
    n = max(len(values), 1)
    slot = (right - left) / n
    for i, (year, v) in enumerate(sorted(values.items())):
        x0 = left + slot * i + slot * 0.2
        x1 = left + slot * (i + 1) - slot * 0.2
        if v is None:
            d.text(((x0 + x1) / 2 - 8, bottom - 24), "缺", fill=TARGET, font=_font(16))
        else:
            y = bottom - (bottom - top) * v / top_value
            d.rectangle((x0, y, x1, bottom), fill=BAR)
            d.text((x0, y - 20), f"{v:.4g}", fill=TEXT, font=_font(14))
        d.text(((x0 + x1) / 2 - 20, bottom + 8), str(year), fill=TEXT, font=_font(15))
    if target is not None:
        y = bottom - (bottom - top) * target / top_value
        d.line((left, y, right, y), fill=TARGET, width=2)
        d.text((right - 120, y - 20), f"目标 {target:.4g}", fill=TARGET, font=_font(14))
    return _png(img)


def shares(title: str, rows: list[tuple[str, float | None, float | None]], *, width: int = 900) -> bytes:
    """Horizontal bars: (label, value 0..1 or None, target 0..1 or None) per row."""
    height = 70 + 34 * max(len(rows), 1)
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    d.text((20, 12), title, fill=TEXT, font=_font(22))
    left, right = 330, width - 70
    for i, (label, value, target) in enumerate(rows):
        y = 56 + 34 * i
        d.text((10, y + 2), label[:20], fill=TEXT, font=_font(14))
        d.rectangle((left, y + 4, right, y + 24), outline=GRID)
        if value is None:
            d.text((left + 6, y + 4), "无数据", fill=TARGET, font=_font(14))
        else:
            d.rectangle((left, y + 4, left + (right - left) * min(value, 1), y + 24), fill=BAR)
            d.text((right + 6, y + 4), f"{value * 100:.1f}%", fill=TEXT, font=_font(14))
        if target is not None:
            x = left + (right - left) * min(target, 1)
            d.line((x, y, x, y + 28), fill=TARGET, width=2)
    return _png(img)
