"""core/files.py: the type is read from the bytes, the size is limited, a file is stored once by its hash."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from yingji.core import files
from yingji.core.config import get_settings
from yingji.core.errors import NotFound, ValidationFailed


def _image(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buf, fmt)
    return buf.getvalue()


PNG = _image("PNG")  # real images: an upload must decode as a whole
JPEG = _image("JPEG")
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 16
PDF = b"%PDF-1.7\n" + b"\x00" * 16


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("YINGJI_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_sniff_reads_the_first_bytes() -> None:
    assert files.sniff(PNG) == ("image/png", ".png")
    assert files.sniff(JPEG) == ("image/jpeg", ".jpg")
    assert files.sniff(WEBP) == ("image/webp", ".webp")
    assert files.sniff(PDF) == ("application/pdf", ".pdf")
    assert files.sniff(b"XXXXXXXXWEBP") is None  # WEBP at offset 8 but not a RIFF container
    assert files.sniff(b"GIF89a") is None


def test_store_once_by_hash_and_load(db, data_dir) -> None:
    a = files.store(db, data=PNG, filename="../../etc/照片.png", uploaded_by=7)
    b = files.store(db, data=PNG, filename="again.png")
    digest = hashlib.sha256(PNG).hexdigest()
    path = data_dir / "attachments" / digest[:2] / f"{digest}.png"
    assert path.read_bytes() == PNG
    assert list((data_dir / "attachments" / digest[:2]).iterdir()) == [path]  # one file for both rows
    assert a.id != b.id and a.sha256 == b.sha256 == digest
    assert (a.filename, a.content_type, a.size, a.uploaded_by) == ("照片.png", "image/png", len(PNG), 7)
    row, loaded = files.load(db, a.id)
    assert row.id == a.id and loaded == path
    with pytest.raises(NotFound):
        files.load(db, 987654321)


def test_store_refuses_empty_oversized_and_wrong_types_naming_the_field(db, data_dir) -> None:
    cases = [
        (b"", {}, "文件为空"),
        (PNG, {"max_bytes": 10}, "文件过大"),
        (PDF, {}, "文件类型不允许，仅支持 JPEG、PNG、WEBP"),
        (JPEG, {"allowed": {"application/pdf"}}, "文件类型不允许，仅支持 PDF"),
    ]
    for data, extra, text in cases:
        with pytest.raises(ValidationFailed) as exc:
            files.store(db, data=data, filename="x", field="photo", **extra)
        assert exc.value.details[0].field == "photo" and text in exc.value.details[0].message
    assert files.store(db, data=PDF, filename="a.pdf", allowed={"application/pdf"}).content_type == "application/pdf"
    assert not (data_dir / "attachments").exists() or not any(
        p.suffix in (".png", ".jpg") for p in (data_dir / "attachments").rglob("*")
    )


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>",  # a PNG header, then HTML
        _image("PNG")[:40],  # cut short
        b"\xff\xd8\xff\xe0" + b"\x00" * 32,  # a JPEG marker and nothing behind it
    ],
)
def test_an_image_that_does_not_decode_is_refused(db, data_dir, data) -> None:
    with pytest.raises(ValidationFailed) as exc:
        files.store(db, data=data, filename="x.png", field="photo")
    assert exc.value.details[0].field == "photo"
    assert "无法解码" in exc.value.details[0].message
    assert not (data_dir / "attachments").exists() or not any((data_dir / "attachments").rglob("*.png"))
