"""The delivery rows of a warning (``GET /api/v1/warnings/{id}/deliveries``): a recipient's rows together,
paged by offset for the first rows and then followed by ``after`` (a start in the index, not a walk
through the rows before); totals from the running figures; bad paging says what to do instead."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.warnings.test_coverage_queries import V1, _add, _row, _warning
from yingji.warnings.models import Delivery
from yingji.warnings.service import maps, tally

STATUSES = ("sent", "failed", "pending", "sending")


def _rows(db, n: int = 130) -> int:
    wid = _warning(db)
    rows = []
    for i in range(n):
        status = STATUSES[i % 4]
        rows.append(_row(wid, f"subscriber:{i}", "sms", status, village=V1, after=10 if status == "sent" else None))
        if i % 3 == 0:  # a second row of the same recipient: listed next to its first
            rows.append(_row(wid, f"subscriber:{i}", "email", "pending", village=V1))
    _add(db, rows)
    tally.recount(db, wid)
    return wid


def _all(client, wid: int, **params) -> list[dict]:
    seen: list[dict] = []
    after = None
    while True:
        r = client.get(f"/api/v1/warnings/{wid}/deliveries",
                       params={"page_size": 50, **params, **({"after": after} if after else {})})
        assert r.status_code == 200, r.text
        body = r.json()
        seen += body["items"]
        after = body["next_after"]
        if after is None:
            return seen


def test_followed_by_after_every_row_once_a_recipients_rows_together(api, db):
    wid = _rows(db)
    duty = api("duty")
    items = _all(duty, wid)
    ids = set(db.scalars(select(Delivery.id).where(Delivery.warning_id == wid)))
    assert [d["id"] for d in items] and {d["id"] for d in items} == ids and len(items) == len(ids)
    runs = [d["name"] for i, d in enumerate(items) if i == 0 or items[i - 1]["name"] != d["name"]]
    assert len(runs) == len(set(runs)) == 130  # one recipient's rows are next to each other
    first = duty.get(f"/api/v1/warnings/{wid}/deliveries", params={"page_size": 50}).json()
    assert first["total"] == len(ids) and first["items"] == items[:50]
    second = duty.get(f"/api/v1/warnings/{wid}/deliveries", params={"page_size": 50, "page": 2}).json()
    assert second["items"] == items[50:100]  # offset pages and ``after`` agree


def test_per_status_the_rows_and_their_totals(api, db):
    wid = _rows(db)
    duty = api("duty")
    for status in STATUSES:
        items = _all(duty, wid, status=status)
        n = db.scalar(select(func.count()).where(Delivery.warning_id == wid, Delivery.status == status))
        assert len(items) == n and {d["status"] for d in items} == {status}
        total = duty.get(f"/api/v1/warnings/{wid}/deliveries", params={"status": status}).json()["total"]
        assert total == n, status


def test_bad_paging_is_refused_with_what_to_do(api, db):
    wid, other = _rows(db, 10), _rows(db, 10)
    duty = api("duty")
    deep = duty.get(f"/api/v1/warnings/{wid}/deliveries", params={"page": maps.MAX_OFFSET // 50 + 2, "page_size": 50})
    assert deep.status_code == 422 and "after" in deep.json()["error"]["message"]
    foreign = db.scalar(select(Delivery.id).where(Delivery.warning_id == other).limit(1))
    r = duty.get(f"/api/v1/warnings/{wid}/deliveries", params={"after": foreign})
    assert r.status_code == 422 and "after" in r.json()["error"]["message"]
    assert duty.get(f"/api/v1/warnings/{wid}/deliveries", params={"status": "lost"}).status_code == 422
    assert duty.get(f"/api/v1/warnings/{wid}/deliveries", params={"after": 0}).status_code == 422
