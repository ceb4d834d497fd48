"""Attachments (photos, documents): type- and size-checked, stored once by content hash under
``<data_dir>/attachments``, recorded in the ``attachments`` table. Capabilities link to an attachment by id.

The type is decided from the file's first bytes, not from its name or the browser's claim.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import datetime
from pathlib import Path

from PIL import Image
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from yingji.core.actor import Actor, SystemActor
from yingji.core.clock import utcnow
from yingji.core.config import get_settings
from yingji.core.db import Base, UTCDateTime
from yingji.core.errors import NotFound, invalid

_SIGNATURES: list[tuple[bytes, int, str, str]] = [
    (b"\xff\xd8\xff", 0, "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", ".png"),
    (b"WEBP", 8, "image/webp", ".webp"),
    (b"%PDF-", 0, "application/pdf", ".pdf"),
    (b"PK\x03\x04", 0, "application/docx", ".docx"),
]
# The .docx MIME type is 71 characters and ``attachments.content_type`` holds 64: the row keeps the short
# name and ``media_type`` gives the registered one for the response (widening the column is a kernel
# migration of its own).
DOCX_TYPE = "application/docx"
_MEDIA_TYPES = {DOCX_TYPE: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def media_type(row: Attachment) -> str:
    """The Content-Type to answer an attachment with."""
    return _MEDIA_TYPES.get(row.content_type, row.content_type)
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
MAX_IMAGE_PIXELS = 60_000_000  # a phone photo is ~12 MP; more is a decompression bomb, not a photo


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uploaded_by: Mapped[int | None] = mapped_column(Integer)


def _is_docx(data: bytes) -> bool:
    """A .docx is a ZIP holding ``word/document.xml``: any other ZIP (or a broken one) is not."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist() and z.testzip() is None
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return False


def sniff(data: bytes) -> tuple[str, str] | None:
    for magic, offset, mime, ext in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic and (mime != "image/webp" or data[:4] == b"RIFF"):
            if mime == DOCX_TYPE and not _is_docx(data):
                return None
            return mime, ext
    return None


def storage_dir() -> Path:
    path = get_settings().data_dir / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _check_decodes(data: bytes, field: str) -> None:
    """An image must decode as a whole: a valid header followed by HTML or a script is refused."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()  # decodes every pixel; a truncated or foreign body raises
            if img.width * img.height > MAX_IMAGE_PIXELS:
                raise invalid(field, "图片尺寸过大")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise invalid(field, "图片无法解码：文件已损坏或不是图片") from exc


def store(
    db: Session,
    *,
    data: bytes,
    filename: str,
    allowed: set[str] | None = None,
    field: str = "file",
    uploaded_by: int | None = None,
    max_bytes: int | None = None,
) -> Attachment:
    """Checks and stores one upload; raises ValidationFailed naming ``field`` when it is refused."""
    limit = max_bytes or get_settings().max_upload_bytes
    if not data:
        raise invalid(field, "文件为空")
    if len(data) > limit:
        raise invalid(field, f"文件过大：{len(data) // 1024} KB，上限 {limit // 1024} KB")
    found = sniff(data)
    allowed = allowed or IMAGE_TYPES
    if found is None or found[0] not in allowed:
        names = "、".join(sorted(t.split("/")[1].upper() for t in allowed))
        raise invalid(field, f"文件类型不允许，仅支持 {names}")
    mime, ext = found
    if mime in IMAGE_TYPES:
        _check_decodes(data, field)
    digest = hashlib.sha256(data).hexdigest()
    target = storage_dir() / digest[:2] / (digest + ext)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(target)  # atomic: a reader never sees half a file
    row = Attachment(
        sha256=digest,
        filename=Path(filename or "upload").name[:200],
        content_type=mime,
        size=len(data),
        created_at=utcnow(),
        uploaded_by=uploaded_by,
    )
    db.add(row)
    db.flush()
    return row


def ensure_linkable(db: Session, actor: Actor, ids: list[int], *, field: str = "attachment_ids") -> list[int]:
    """The attachments ``actor`` may link to a record: only those it uploaded itself. Ids are sequential, so a
    mere existence check would let any account pull another area's photo into a record of its own and read
    it there. Another's attachment answers like a missing one (its existence does not leak). Photos that come
    with a record (a public report's) are carried over by the service, not linked by id."""
    for i in ids:
        row = db.get(Attachment, i)
        if row is None or not (
            isinstance(actor, SystemActor) or (actor.id is not None and row.uploaded_by == actor.id)
        ):
            raise invalid(field, f"附件 {i} 不存在")
    return list(dict.fromkeys(ids))


def load(db: Session, attachment_id: int) -> tuple[Attachment, Path]:
    row = db.get(Attachment, attachment_id)
    if row is None:
        raise NotFound("附件不存在")
    ext = next(e for _m, _o, mime, e in _SIGNATURES if mime == row.content_type)
    return row, storage_dir() / row.sha256[:2] / (row.sha256 + ext)
