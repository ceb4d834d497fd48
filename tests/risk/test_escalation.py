"""Overdue hazards: the scheduled job escalates through the outbox (responsible person first, then the
supervisor), the handler records each notice once, and the hazard shows as overdue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from yingji.core import outbox
from yingji.core.jobs import run_job
from yingji.core.notices import Notice
from yingji.risk.models import Hazard
from yingji.risk.service import hazards

from .helpers import new_hazard, user

T0 = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


def notices(db, hazard_id):
    q = select(Notice).where(Notice.source == "risk", Notice.ref_type == "hazard", Notice.ref_id == hazard_id)
    return list(db.scalars(q.order_by(Notice.id)))


def test_overdue_hazard_escalates_step_by_step(db, database, fixed_clock) -> None:
    fixed_clock(T0)
    h = new_hazard(db, days=5)
    hazards.transition(db=db, actor=user(db, "duty"), hazard_id=h.id, action="confirm")
    hid = h.id
    db.commit()
    assert not hazards.is_overdue(h)

    fixed_clock(T0 + timedelta(days=6))  # one day late
    assert hazards.is_overdue(h)
    run_job(database, "risk.escalate_overdue_hazards")
    outbox.drain(database, topics=["risk.hazard.notice"])
    db.expire_all()
    sent = notices(db, hid)
    assert [n.kind for n in sent] == ["overdue_responsible"]
    assert sent[0].addressee == "张三" and "逾期" in sent[0].body

    run_job(database, "risk.escalate_overdue_hazards")  # same day again: nothing new
    outbox.drain(database, topics=["risk.hazard.notice"])
    assert len(notices(db, hid)) == 1

    fixed_clock(T0 + timedelta(days=9))  # four days late: the supervisor is told
    run_job(database, "risk.escalate_overdue_hazards")
    outbox.drain(database, topics=["risk.hazard.notice"])
    db.expire_all()
    sent = notices(db, hid)
    assert [n.kind for n in sent] == ["overdue_responsible", "overdue_supervisor"]
    assert "应急" in sent[1].addressee  # the township emergency office of the enterprise
    assert db.get(Hazard, hid).escalation_level == 2


def test_handler_is_idempotent(db) -> None:
    from yingji.risk.service.escalation import deliver_notice

    h = new_hazard(db)
    a = deliver_notice(db=db, hazard_id=h.id, kind="overdue_responsible", key="k1")
    b = deliver_notice(db=db, hazard_id=h.id, kind="overdue_responsible", key="k1")
    assert a.id == b.id and len(notices(db, h.id)) == 1


def test_rectified_or_extended_hazards_are_not_escalated(db, database, fixed_clock) -> None:
    fixed_clock(T0)
    done = new_hazard(db, days=2)
    duty, chem = user(db, "duty"), user(db, "chem")
    for who, action in [(duty, "confirm"), (chem, "start"), (chem, "complete")]:
        hazards.transition(db=db, actor=who, hazard_id=done.id, action=action, note="完成")
    extended = new_hazard(db, days=2)
    hazards.transition(db=db, actor=duty, hazard_id=extended.id, action="confirm", deadline=T0 + timedelta(days=30))
    ids = (done.id, extended.id)
    db.commit()
    fixed_clock(T0 + timedelta(days=10))
    run_job(database, "risk.escalate_overdue_hazards")
    outbox.drain(database, topics=["risk.hazard.notice"])
    assert all(notices(db, i) == [] for i in ids)


def test_overdue_shows_in_red_on_the_list(page_client, api, db, fixed_clock) -> None:
    h = new_hazard(db, days=1, title="逾期测试隐患")
    db.commit()
    fixed_clock(datetime.now(UTC) + timedelta(days=3))
    r = api("duty").get("/api/v1/risk/hazards?overdue=true&page_size=500").json()
    assert any(i["id"] == h.id and i["overdue"] for i in r["items"])
    html = page_client("duty").get("/risk/hazards?overdue=1").text
    row = html[html.index(f'/risk/hazards/{h.id}"') - 200 :]
    assert 'class="overdue"' in row[:200] and "已逾期" in row


def test_major_report_notice_goes_to_the_regulator(db, database) -> None:
    h = new_hazard(db, grade="major")
    hid = h.id
    db.commit()
    outbox.drain(database, topics=["risk.hazard.notice"])
    db.expire_all()
    sent = notices(db, hid)
    assert [n.kind for n in sent] == ["major_report"] and sent[0].addressee == "区应急管理局"
