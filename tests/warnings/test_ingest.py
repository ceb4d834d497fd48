"""Upstream CAP 1.2 and national-format messages: validated with every reason, stored, linked to what
they reference, shown on the map, and turned into a local draft when they touch the district."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from tests.channels.servers import LoopbackHttp
from tests.warnings.helpers import NOW, SEAT_SQUARE
from yingji.core.actor import SYSTEM
from yingji.warnings import cap
from yingji.warnings.alert import AlertData, Reference
from yingji.warnings.enums import Level
from yingji.warnings.models import WarningMessage
from yingji.warnings.service import feeds
from yingji.warnings.standards import cap_time

SAMPLES = Path(__file__).parent / "samples"
XML = {"Content-Type": "application/xml"}


def upstream(identifier="45020041600000_20260601095500", msg_type="Alert", references=(), polygons=None, **kw):
    a = AlertData(
        identifier=identifier,
        sender="45020041600000",
        sent=NOW - timedelta(minutes=5),
        msg_type=msg_type,
        references=list(references),
        event_type="rainstorm",
        level=Level.yellow,
        headline="柳州市气象台发布暴雨黄色预警",
        description="未来 6 小时柳江区北部降雨量将达 50 毫米以上。",
        effective=NOW - timedelta(minutes=5),
        expires=NOW + timedelta(hours=6),
        sender_name="柳州市气象台",
        area_desc="柳江区北部",
        polygons=[SEAT_SQUARE] if polygons is None else polygons,
    )
    for k, v in kw.items():
        setattr(a, k, v)
    return cap.to_cap(a)


def test_import_cap_stores_and_drafts_when_touching_the_district(api, db, fixed_clock):
    r = api("liaison").post("/api/v1/warnings/import-cap", content=upstream(), headers=XML)
    assert r.status_code == 201, r.text
    w = r.json()
    assert w["origin"] == "upstream" and w["status"] == "received" and w["level"] == "yellow"
    assert w["event_type"] == "rainstorm" and w["touches_district"] and w["village_codes"]
    assert w["upstream_identifier"] == "45020041600000_20260601095500"
    draft = db.scalar(select(WarningMessage).where(WarningMessage.review_note.contains(w["upstream_identifier"])))
    assert draft is not None and draft.status == "draft" and draft.origin == "local" and draft.level == "yellow"
    # On the map layer.
    features = api("duty").get("/api/v1/warnings/map.geojson").json()["features"]
    assert any(f["id"] == w["id"] and f["properties"]["origin"] == "upstream" for f in features)
    # The same message again is stored once.
    again = api("liaison").post("/api/v1/warnings/import-cap", content=upstream(), headers=XML)
    assert again.json()["id"] == w["id"]


def test_update_is_linked_to_what_it_references(api, fixed_clock):
    liaison = api("liaison")
    first = liaison.post("/api/v1/warnings/import-cap", content=upstream(), headers=XML).json()
    ref = Reference("45020041600000", first["upstream_identifier"], cap_time(NOW - timedelta(minutes=5)))
    r = liaison.post(
        "/api/v1/warnings/import-cap",
        content=upstream("45020041600000_20260601100500", "Update", [ref], level=Level.orange),
        headers=XML,
    )
    assert r.status_code == 201, r.text
    upd = r.json()
    assert upd["references_id"] == first["id"] and upd["chain_id"] == first["chain_id"] and upd["level"] == "orange"
    assert liaison.get(f"/api/v1/warnings/{first['id']}").json()["status"] == "superseded"


def test_invalid_cap_is_refused_with_every_reason(api):
    liaison = api("liaison")
    before = liaison.get("/api/v1/warnings").json()["total"]
    bad = (
        upstream(msg_type="Update")
        .replace(b"<sent>2026-06-01T09:55:00+08:00</sent>", b"<sent>2026-06-01 09:55:00</sent>")
        .replace(b"<severity>Moderate</severity>", b"<severity>Purple</severity>")
    )
    r = liaison.post("/api/v1/warnings/import-cap", content=bad, headers=XML)
    assert r.status_code == 422
    reasons = [d["message"] for d in r.json()["error"]["details"]]
    assert len(reasons) >= 3
    joined = "\n".join(reasons)
    assert "references" in joined and "sent" in joined and "severity" in joined
    assert liaison.get("/api/v1/warnings").json()["total"] == before


def test_shared_invalid_samples_answer_422(api):
    for path in sorted((SAMPLES / "invalid").iterdir()):
        r = api("liaison").post("/api/v1/warnings/import-cap", content=path.read_bytes(), headers=XML)
        assert r.status_code == 422, path.name
        assert r.json()["error"]["details"], path.name


def test_not_xml_answers_422(api):
    r = api("liaison").post("/api/v1/warnings/import-cap", content=b"hello", headers=XML)
    assert r.status_code == 422 and "XML" in r.json()["error"]["message"]


def test_national_format_is_read(api, db, fixed_clock):
    data = (SAMPLES / "cn-national-12379-henan-gale-blue-update.xml").read_bytes()
    r = api("liaison").post("/api/v1/warnings/import-cap", content=data, headers=XML)
    assert r.status_code == 201, r.text
    w = r.json()
    assert w["event_type"] == "gale" and w["level"] == "blue" and w["msg_type"] == "Update"
    assert w["touches_district"] is False  # Henan: stored and shown, no local draft
    assert (
        db.scalar(select(WarningMessage).where(WarningMessage.review_note.contains(w["upstream_identifier"]))) is None
    )


def test_a_valid_foreign_sample_is_stored_outside_the_district(api):
    data = (SAMPLES / "valid/oasis-spec-A2-severe-thunderstorm-polygon.xml").read_bytes()
    r = api("liaison").post("/api/v1/warnings/import-cap", content=data, headers=XML)
    assert r.status_code == 201 and r.json()["touches_district"] is False


def test_import_permissions(api):
    for user in ("officer", "chem", "labao", "leader"):
        assert api(user).post("/api/v1/warnings/import-cap", content=upstream(), headers=XML).status_code == 403, user


def test_poller_reads_configured_feeds(db, fixed_clock):
    good, broken = upstream("45020041600000_20260601095900"), b"<alert>not cap</alert>"
    pages = {"/one.xml": good, "/bad.xml": broken}
    server = LoopbackHttp(lambda rec: (200 if rec.path in pages else 404, pages.get(rec.path, b""))).start()
    try:
        summary = feeds.poll(
            db=db, actor=SYSTEM, urls=[server.url + "/one.xml", server.url + "/bad.xml", server.url + "/gone.xml"]
        )
    finally:
        server.stop()
    assert summary == "3 个来源：收录 1，拒收 1，失败 1"
    stored = db.scalar(
        select(WarningMessage).where(WarningMessage.upstream_identifier == "45020041600000_20260601095900")
    )
    assert stored is not None and stored.source_format == "cap"
