"""The material ledger: documents are the only way stock changes; FIFO by expiry; transfers in transit;
count variances; posting once; reversal; never negative; alerts through the outbox."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.resources.helpers import ACCEPTED, ledger_consistent, material, on_hand, post, receive, warehouse
from yingji.core.actor import SYSTEM
from yingji.core.errors import Conflict, ValidationFailed
from yingji.resources import service
from yingji.resources.schemas import DocumentCreate, LineIn


def test_receipt_needs_a_passed_acceptance_check(db) -> None:
    w, m = warehouse(db), material(db)
    data = DocumentCreate(
        kind="receipt", warehouse_id=w.id, lines=[LineIn(material_id=m.id, quantity=Decimal(5), batch_no="B1")]
    )
    doc = service.create_document(db=db, actor=SYSTEM, data=data)
    with pytest.raises(ValidationFailed) as err:
        service.post_document(db=db, actor=SYSTEM, document_id=doc.id)
    assert err.value.details[0].field == "acceptance"
    assert on_hand(db, w.id, m.id) == {}
    receive(db, w.id, m.id, 5, "B1")
    assert on_hand(db, w.id, m.id) == {"B1": Decimal(5)}


def test_issue_takes_the_earliest_expiry_first(db) -> None:
    w, m = warehouse(db), material(db)
    receive(db, w.id, m.id, 10, "LATE", date(2028, 1, 1))
    receive(db, w.id, m.id, 10, "EARLY", date(2026, 9, 1))
    receive(db, w.id, m.id, 10, "NONE")  # no expiry: last
    receive(db, w.id, m.id, 10, "MID", date(2027, 3, 1))
    doc = post(db, "issue", w.id, [{"material_id": m.id, "quantity": Decimal(25)}], counterparty="拉堡镇")
    # EARLY (2026-09) and MID (2027-03) go whole, then 5 of LATE (2028); the batch without expiry stays.
    assert sorted(x.quantity for x in service.document_movements(db, doc.id)) == [-10, -10, -5]
    assert on_hand(db, w.id, m.id) == {"LATE": Decimal(5), "NONE": Decimal(10)}
    ledger_consistent(db)


def test_stock_never_goes_negative_and_a_refused_issue_changes_nothing(db) -> None:
    w, m = warehouse(db), material(db)
    receive(db, w.id, m.id, 3, "B1")
    with pytest.raises(ValidationFailed) as err:
        post(db, "issue", w.id, [{"material_id": m.id, "quantity": Decimal(4)}])
    assert "库存不足" in err.value.message and err.value.details[0].field == "lines[0].quantity"
    assert on_hand(db, w.id, m.id) == {"B1": Decimal(3)}


def test_transfer_is_in_transit_until_received(db) -> None:
    a, b, m = warehouse(db, index=0), warehouse(db, index=1, name="调入点"), material(db)
    receive(db, a.id, m.id, 10, "B1", date(2027, 1, 1))
    doc = post(db, "transfer", a.id, [{"material_id": m.id, "quantity": Decimal(4)}], to_warehouse_id=b.id)
    assert doc.status == "in_transit"
    assert on_hand(db, a.id, m.id) == {"B1": Decimal(6)}
    assert on_hand(db, b.id, m.id) == {}  # neither here nor there: in transit
    assert doc.id in [d.id for d in service.in_transit(db=db, actor=SYSTEM)]
    service.receive_transfer(db=db, actor=SYSTEM, document_id=doc.id)
    assert on_hand(db, b.id, m.id) == {"B1": Decimal(4)}  # the same batch arrives
    assert doc.id not in [d.id for d in service.in_transit(db=db, actor=SYSTEM)]
    with pytest.raises(Conflict):
        service.receive_transfer(db=db, actor=SYSTEM, document_id=doc.id)
    ledger_consistent(db)


def test_count_books_the_variance(db) -> None:
    w, m = warehouse(db), material(db)
    receive(db, w.id, m.id, 10, "B1")
    receive(db, w.id, m.id, 10, "B2")
    batches = {r["batch_no"]: r["batch_id"] for r in service.stock(db=db, actor=SYSTEM, warehouse_id=w.id)}
    doc = post(
        db,
        "count",
        w.id,
        [
            {"material_id": m.id, "batch_id": batches["B1"], "quantity": Decimal(8)},  # 2 missing
            {"material_id": m.id, "batch_id": batches["B2"], "quantity": Decimal(10)},  # as booked: no movement
        ],
    )
    moves = service.document_movements(db, doc.id)
    assert [(x.batch_id, x.quantity) for x in moves] == [(batches["B1"], Decimal(-2))]
    assert on_hand(db, w.id, m.id) == {"B1": Decimal(8), "B2": Decimal(10)}


def test_posted_once_and_corrected_only_by_reversal(db) -> None:
    w, m = warehouse(db), material(db)
    doc = receive(db, w.id, m.id, 10, "B1")
    with pytest.raises(Conflict):
        service.post_document(db=db, actor=SYSTEM, document_id=doc.id)
    with pytest.raises(ValidationFailed):
        service.reverse_document(db=db, actor=SYSTEM, document_id=doc.id, reason=" ")
    rev = service.reverse_document(db=db, actor=SYSTEM, document_id=doc.id, reason="数量录错")
    assert rev.kind == "reversal" and rev.reverses_id == doc.id and doc.status == "reversed"
    assert on_hand(db, w.id, m.id) == {}
    with pytest.raises(Conflict):
        service.reverse_document(db=db, actor=SYSTEM, document_id=doc.id, reason="再冲一次")
    with pytest.raises(Conflict):
        service.reverse_document(db=db, actor=SYSTEM, document_id=rev.id, reason="冲销冲销单")
    ledger_consistent(db)


def test_a_receipt_already_issued_cannot_be_reversed_below_zero(db) -> None:
    w, m = warehouse(db), material(db)
    doc = receive(db, w.id, m.id, 10, "B1")
    post(db, "issue", w.id, [{"material_id": m.id, "quantity": Decimal(6)}])
    with pytest.raises(ValidationFailed) as err:
        service.reverse_document(db=db, actor=SYSTEM, document_id=doc.id, reason="错")
    assert "库存不足" in err.value.message


def test_reversing_a_received_transfer_returns_the_stock(db) -> None:
    a, b, m = warehouse(db), warehouse(db, index=1), material(db)
    receive(db, a.id, m.id, 10, "B1")
    doc = post(db, "transfer", a.id, [{"material_id": m.id, "quantity": Decimal(4)}], to_warehouse_id=b.id)
    service.receive_transfer(db=db, actor=SYSTEM, document_id=doc.id)
    service.reverse_document(db=db, actor=SYSTEM, document_id=doc.id, reason="调错仓库")
    assert on_hand(db, a.id, m.id) == {"B1": Decimal(10)} and on_hand(db, b.id, m.id) == {}


def test_rotation_swaps_an_expiring_batch_for_a_fresh_one(db) -> None:
    w, m = warehouse(db), material(db)
    receive(db, w.id, m.id, 10, "OLD", date(2026, 7, 1))
    old = service.stock(db=db, actor=SYSTEM, warehouse_id=w.id)[0]["batch_id"]
    post(
        db,
        "rotation",
        w.id,
        [
            {"material_id": m.id, "batch_id": old, "quantity": Decimal(-10)},
            {"material_id": m.id, "batch_no": "NEW", "quantity": Decimal(10), "expiry_date": date(2029, 7, 1)},
        ],
    )
    assert on_hand(db, w.id, m.id) == {"NEW": Decimal(10)}
    with pytest.raises(ValidationFailed):  # a rotation needs both sides
        post(db, "rotation", w.id, [{"material_id": m.id, "batch_no": "X", "quantity": Decimal(1)}])


def test_donation_needs_a_donor_and_bad_lines_are_named(db) -> None:
    w, m = warehouse(db), material(db)
    with pytest.raises(ValidationFailed) as err:
        post(db, "donation", w.id, [{"material_id": m.id, "quantity": Decimal(1), "batch_no": "D"}])
    assert err.value.details[0].field == "counterparty"
    with pytest.raises(ValidationFailed) as err:
        post(
            db,
            "receipt",
            w.id,
            [
                {"material_id": m.id, "quantity": Decimal(1)},
                {"material_id": 999999, "quantity": Decimal(1), "batch_no": "X"},
            ],
            **ACCEPTED,
        )
    assert {d.field for d in err.value.details} == {"lines[0].batch_no", "lines[1].material_id"}
    post(
        db, "donation", w.id, [{"material_id": m.id, "quantity": Decimal(7), "batch_no": "D"}], counterparty="爱心企业"
    )
    assert on_hand(db, w.id, m.id) == {"D": Decimal(7)}


def test_reorder_alert_goes_through_the_outbox_once(db, database) -> None:
    from yingji.core import outbox

    w, m = warehouse(db), material(db, reorder_point=10)
    receive(db, w.id, m.id, 12, "B1")
    post(db, "issue", w.id, [{"material_id": m.id, "quantity": Decimal(5)}])  # 7 < 10
    post(db, "issue", w.id, [{"material_id": m.id, "quantity": Decimal(1)}])  # same day: no second message
    db.commit()
    outbox.drain(database, topics=["resources.stock_alert"])
    with database.transaction() as s:
        alerts = [a for a in service.list_alerts(db=s, actor=SYSTEM) if a.ref_id == w.id]
    assert len(alerts) == 1 and alerts[0].kind == "reorder" and "低于储备下限" in alerts[0].body
    with database.transaction() as s:  # delivering the same key again changes nothing
        assert service.record_alert(s, key=alerts[0].dedupe_key, payload={}) is False


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("receipt"), st.integers(0, 2), st.integers(1, 50)),
        st.tuples(st.just("issue"), st.integers(0, 0), st.integers(1, 80)),
        st.tuples(st.just("count"), st.integers(0, 2), st.integers(0, 40)),
        st.tuples(st.just("reverse"), st.integers(0, 0), st.integers(0, 0)),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_any_sequence_of_documents_keeps_stock_equal_to_its_movements(db, ops) -> None:
    """Property: whatever documents are posted (some refused), stock equals the sum of its movements per
    batch, is never negative, and equals what a simple model of the same accepted documents predicts."""
    outer = db.begin_nested()
    try:
        w, m = warehouse(db), material(db)
        expiries = [date(2027, 1, 1), date(2026, 8, 1), date(2028, 1, 1)]
        model: dict[str, Decimal] = {}
        posted: list[tuple[int, dict[str, Decimal]]] = []
        for kind, batch, qty in ops:
            before = dict(model)
            sp = db.begin_nested()
            try:
                if kind == "receipt":
                    doc = receive(db, w.id, m.id, qty, f"B{batch}", expiries[batch])
                    model[f"B{batch}"] = model.get(f"B{batch}", Decimal(0)) + qty
                elif kind == "issue":
                    doc = post(db, "issue", w.id, [{"material_id": m.id, "quantity": Decimal(qty)}])
                    left = Decimal(qty)
                    for b in sorted((b for b in model if model[b] > 0), key=lambda b: expiries[int(b[1])]):
                        take = min(left, model[b])
                        model[b] -= take
                        left -= take
                elif kind == "count":
                    ids = {r["batch_no"]: r["batch_id"] for r in service.stock(db=db, actor=SYSTEM, warehouse_id=w.id)}
                    if f"B{batch}" not in ids:
                        sp.rollback()
                        continue
                    doc = post(
                        db,
                        "count",
                        w.id,
                        [{"material_id": m.id, "batch_id": ids[f"B{batch}"], "quantity": Decimal(qty)}],
                    )
                    model[f"B{batch}"] = Decimal(qty)
                else:
                    if not posted:
                        sp.rollback()
                        continue
                    doc_id, snapshot = posted.pop()
                    service.reverse_document(db=db, actor=SYSTEM, document_id=doc_id, reason="测试冲销")
                    model = snapshot
                    sp.commit()
                    continue
                sp.commit()
                posted.append((doc.id, before))
            except (ValidationFailed, Conflict):
                sp.rollback()
                model = before
                if kind == "reverse":
                    posted.append((doc_id, snapshot))
            ledger_consistent(db)
            assert on_hand(db, w.id, m.id) == {b: q for b, q in model.items() if q > 0}
    finally:
        outer.rollback()


def test_expiry_alert_from_the_scheduled_job(db, database, fixed_clock) -> None:
    from datetime import UTC, datetime

    from yingji.core import jobs, outbox

    fixed_clock(datetime(2026, 6, 1, 2, 0, tzinfo=UTC))
    w, m = warehouse(db), material(db)
    receive(db, w.id, m.id, 4, "SOON", date(2026, 7, 15))  # within 90 days
    receive(db, w.id, m.id, 4, "LATER", date(2027, 7, 15))
    db.commit()
    summary = jobs.run_job(database, "resources.stock_alerts")
    assert "临期提醒" in summary
    outbox.drain(database, topics=["resources.stock_alert"])
    with database.transaction() as s:
        mine = [a for a in service.list_alerts(db=s, actor=SYSTEM) if a.ref_id == w.id]
    assert [a.kind for a in mine] == ["expiry"] and "SOON" in mine[0].body and "2026-07-15" in mine[0].body
    jobs.run_job(database, "resources.stock_alerts")  # the same batch is not announced twice
    outbox.drain(database, topics=["resources.stock_alert"])
    with database.transaction() as s:
        assert len([a for a in service.list_alerts(db=s, actor=SYSTEM) if a.ref_id == w.id]) == 1
