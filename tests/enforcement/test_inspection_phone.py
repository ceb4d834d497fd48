"""The inspection on a phone (issue 14 point 5): the page is open only to the inspection's inspectors and
the bureau (another inspector 404 as the API, the enterprise manager 403: it may read its inspection, not
record on it); photos and signatures are stored through core.files, idempotent by ``client_key``; a photo
must belong to a finding of the inspection, a signature to one of its inspectors, the acknowledgement
names its signer. The offline draft and its sync are tested in tests/browser/test_inspection_phone.py."""

from __future__ import annotations

import io
import uuid

from docx import Document
from PIL import Image
from sqlalchemy import func, select

from tests.enforcement.test_inspections import INSPECTIONS, start
from tests.enforcement.test_inspections import setting as setting
from yingji.core.files import Attachment
from yingji.enforcement.models import InspectionAttachment


def key() -> str:
    return uuid.uuid4().hex


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_only_its_inspectors_and_the_bureau_open_the_phone_page(api, page_client, db, setting) -> None:
    ins = start(api, setting).json()
    url = f"/enforcement/inspections/{ins['id']}/phone"
    mine = page_client("inspector").get(url)
    assert mine.status_code == 200
    assert 'id="phone-data"' in mine.text and "/static/js/inspection-phone.js" in mine.text
    assert 'capture="environment"' in mine.text
    assert page_client("duty").get(url).status_code == 200
    assert page_client("inspector2").get(url).status_code == 404  # not assigned: as the API answers
    assert page_client("chem").get(url).status_code == 403  # its own inspection, but it does not record
    listed = page_client("inspector").get("/enforcement/inspections")
    assert url in listed.text
    assert url not in page_client("inspector2").get("/enforcement/inspections").text


def test_photos_and_signatures_once_per_client_key(api, db, setting) -> None:
    ins = start(api, setting).json()
    base = f"{INSPECTIONS}/{ins['id']}"
    fk = key()
    assert api("inspector").post(f"{base}/findings", json={"client_key": fk, "description": "消防通道堵塞"}
                                 ).status_code == 201
    before = db.scalar(select(func.count()).select_from(Attachment))
    pk = key()
    body = {"client_key": pk, "kind": "photo", "finding_client_key": fk}
    first = api("inspector").post(f"{base}/attachments", data=body, files={"file": ("p.png", png(), "image/png")})
    assert first.status_code == 201, first.text
    again = api("inspector").post(f"{base}/attachments", data=body, files={"file": ("p.png", png(), "image/png")})
    assert again.json()["id"] == first.json()["id"]
    assert db.scalar(select(func.count()).select_from(Attachment)) == before + 1
    got = api("inspector").get(f"{base}/attachments/{first.json()['attachment_id']}")
    assert got.status_code == 200 and got.content == png()
    assert api("inspector2").get(f"{base}/attachments/{first.json()['attachment_id']}").status_code == 404

    bad = api("inspector").post(f"{base}/attachments", data={"client_key": key(), "kind": "photo",
                                                             "finding_client_key": key()},
                                files={"file": ("p.png", png(), "image/png")})
    assert bad.status_code == 422 and "finding_client_key" in bad.text
    stranger = api("inspector").post(f"{base}/attachments", data={"client_key": key(),
                                     "kind": "inspector_signature", "inspector_id": "999999"},
                                     files={"file": ("s.png", png(), "image/png")})
    assert stranger.status_code == 422 and "inspector_id" in stranger.text
    for inspector_id in setting["team"]:
        r = api("inspector").post(f"{base}/attachments", data={"client_key": key(), "kind": "inspector_signature",
                                                               "inspector_id": str(inspector_id)},
                                  files={"file": ("s.png", png(), "image/png")})
        assert r.status_code == 201, r.text
    nameless = api("inspector").post(f"{base}/attachments", data={"client_key": key(),
                                     "kind": "enterprise_signature"}, files={"file": ("s.png", png(), "image/png")})
    assert nameless.status_code == 422 and "signer_name" in nameless.text
    ack = api("inspector").post(f"{base}/attachments", data={"client_key": key(), "kind": "enterprise_signature",
                                                             "signer_name": "王厂长"},
                                files={"file": ("s.png", png(), "image/png")})
    assert ack.status_code == 201 and ack.json()["signer_name"] == "王厂长"
    not_image = api("inspector").post(f"{base}/attachments", data={"client_key": key(), "kind": "photo",
                                                                   "finding_client_key": fk},
                                      files={"file": ("x.png", b"<script>", "image/png")})
    assert not_image.status_code == 422 and "file" in not_image.text
    kinds = sorted(a.kind for a in db.scalars(select(InspectionAttachment)
                                              .where(InspectionAttachment.inspection_id == ins["id"])))
    assert kinds == ["enterprise_signature", "inspector_signature", "inspector_signature", "photo"]
    # the 现场检查记录 carries the signatures: the two inspectors' and the enterprise's, with its signer
    doc = api("inspector").post(f"{base}/documents", json={"kind": "site_record"}).json()
    opened = Document(io.BytesIO(api("inspector").get(f"/api/v1/enforcement/documents/{doc['id']}.docx").content))
    assert len(opened.inline_shapes) == 3
    text = "\n".join(p.text for p in opened.paragraphs)
    assert "被检查单位签收：王厂长" in text and text.count("执法人员签名：") == 2
    # the enterprise manager and another inspector may not record on it
    assert api("chem").post(f"{base}/attachments", data={"client_key": key(), "kind": "enterprise_signature",
                                                         "signer_name": "x"},
                            files={"file": ("s.png", png(), "image/png")}).status_code == 403
    assert api("inspector2").post(f"{base}/attachments", data={"client_key": key(), "kind": "enterprise_signature",
                                                               "signer_name": "x"},
                                  files={"file": ("s.png", png(), "image/png")}).status_code == 404
