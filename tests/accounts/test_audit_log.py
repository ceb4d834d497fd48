"""The audit log can be read: admins (and leaders, read-only) search it by record (table + key), user and
time, on the 审计日志 page and through the API, and check the hash chain from a button; no other role reads it."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from yingji.accounts.models import User
from yingji.core.audit import AuditEntry
from yingji.core.clock import utcnow

ROLES = ["admin", "duty", "leader", "liaison", "labao", "officer", "chem"]
ENTRIES = "/api/v1/audit/entries"


def _uid(db, username: str) -> int:
    return db.scalar(select(User.id).where(User.username == username))


def _make_change(api) -> int:
    """An enterprise recorded by the duty officer: one insert in the log."""
    from tests.registry.test_enterprises_api import uscc

    r = api("duty").post(
        "/api/v1/registry/enterprises",
        json={
            "name": "审计测试物流有限公司",
            "uscc": uscc("AU"),
            "industry": "road_transport",
            "lon": 109.33,
            "lat": 24.26,
        },
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_only_admins_and_leaders_read_the_log_over_the_api(api) -> None:
    codes = {who: api(who).get(ENTRIES).status_code for who in ROLES}
    assert codes == {
        "admin": 200,
        "leader": 200,
        "duty": 403,
        "liaison": 403,
        "labao": 403,
        "officer": 403,
        "chem": 403,
    }
    verify = {who: api(who).post("/api/v1/audit/verify").status_code for who in ROLES}
    assert verify == {who: (200 if who == "admin" else 403) for who in ROLES}  # leaders read, never act


def test_only_admins_and_leaders_open_the_page(page_client) -> None:
    for who in ROLES:
        r = page_client(who).get("/audit")
        assert r.status_code == (200 if who in ("admin", "leader") else 403), who
        assert ('href="/audit"' in page_client(who).get("/").text) == (who in ("admin", "leader")), who
        if who == "leader":
            assert "校验哈希链" not in r.text  # no button for a read-only reader
        if who == "admin":
            assert "校验哈希链" in r.text and "<script>" not in r.text


def test_search_by_record_user_and_time(api, db) -> None:
    before = utcnow() - timedelta(seconds=1)
    eid = _make_change(api)
    admin = api("admin")
    body = admin.get(ENTRIES, params={"entity": "enterprises", "entity_id": str(eid)}).json()
    assert set(body) == {"items", "total", "page", "page_size"}
    assert body["total"] == 1
    [entry] = body["items"]
    assert entry["action"] == "create" and entry["entity"] == "enterprises" and entry["entity_id"] == str(eid)
    assert entry["actor_id"] == _uid(db, "duty") and entry["actor"] == "duty"
    assert entry["after"]["name"] == "审计测试物流有限公司"
    by_duty = admin.get(ENTRIES, params={"user": "duty", "since": before.isoformat(), "page_size": 500}).json()
    assert eid in [int(e["entity_id"]) for e in by_duty["items"] if e["entity"] == "enterprises"]
    assert all(e["actor"] == "duty" for e in by_duty["items"])
    by_admin = admin.get(ENTRIES, params={"user": "admin", "entity": "enterprises", "entity_id": str(eid)}).json()
    assert by_admin["total"] == 0
    later = admin.get(
        ENTRIES,
        params={"entity": "enterprises", "entity_id": str(eid), "since": (utcnow() + timedelta(minutes=1)).isoformat()},
    )
    assert later.json()["total"] == 0
    until = admin.get(ENTRIES, params={"entity": "enterprises", "entity_id": str(eid), "until": before.isoformat()})
    assert until.json()["total"] == 0
    leader = api("leader").get(ENTRIES, params={"entity": "enterprises", "entity_id": str(eid)}).json()
    assert leader["total"] == 1
    # Bad input names the field.
    r = admin.get(ENTRIES, params={"since": "yesterday"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "since"
    r = admin.get(ENTRIES, params={"user": "nobody-such"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "user"


def test_page_searches_and_verify_button_reports_the_chain(page_client, api, db) -> None:
    eid = _make_change(api)
    c = page_client("admin")
    page = c.get("/audit", params={"entity": "enterprises", "entity_id": str(eid)})
    assert page.status_code == 200 and "审计测试物流有限公司" in page.text and "duty" in page.text
    r = c.post("/audit/verify", data={"csrf_token": c.csrf})
    assert r.status_code == 200 and "审计日志完整" in r.text
    checked = int(re.search(r"已校验 (\d+) 条", r.text).group(1))
    assert checked > 0
    # Someone edits an entry behind the application's back: the button names where the chain breaks.
    seq = db.scalar(select(AuditEntry.seq).where(AuditEntry.entity == "enterprises", AuditEntry.entity_id == str(eid)))
    db.execute(update(AuditEntry).where(AuditEntry.seq == seq).values(entity_id="999999"))
    db.commit()
    r = c.post("/audit/verify", data={"csrf_token": c.csrf})
    assert r.status_code == 200 and f"第 {seq} 条断开" in r.text
    out = api("admin").post("/api/v1/audit/verify").json()
    assert out["ok"] is False and out["broken_seq"] == seq
    leader = page_client("leader")
    assert leader.post("/audit/verify", data={"csrf_token": leader.csrf}).status_code == 403
