"""A file answered for download: one way to name it, whatever the capability.

The name goes out twice (RFC 6266): ``filename*`` carries the real name in UTF-8 (percent-encoded, RFC
8187: "隐患台账.xlsx"), and ``filename`` an ASCII fallback for the rare client that reads only that. An
HTTP header is Latin-1, so a raw Chinese name in it would not even be sent; a quote or a line break in a
name (a report titled by its user) would end the header's value early."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import Response

from yingji.core.documents import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE
from yingji.core.excel import XLSX_MIME as XLSX_MEDIA_TYPE

__all__ = ["DOCX_MEDIA_TYPE", "PDF_MEDIA_TYPE", "XLSX_MEDIA_TYPE", "content_disposition", "docx", "download", "xlsx"]

_NOT_PLAIN = re.compile(r'[^A-Za-z0-9._-]+')


def content_disposition(filename: str, *, inline: bool = False) -> str:
    fallback = _NOT_PLAIN.sub("_", filename)
    stem, dot, ext = fallback.rpartition(".")
    if not stem.strip("_.") and dot:  # nothing readable is left of a Chinese name: keep its kind
        fallback = f"download.{ext}"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(data: bytes | str, filename: str, media_type: str, *, inline: bool = False) -> Response:
    """``inline`` for what a browser shows itself (a PDF, a picture, GeoJSON), else saved as a file."""
    disposition = content_disposition(filename, inline=inline)
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


def xlsx(data: bytes, filename: str) -> Response:
    return download(data, filename, XLSX_MEDIA_TYPE)


def docx(data: bytes, filename: str) -> Response:
    return download(data, filename, DOCX_MEDIA_TYPE)
