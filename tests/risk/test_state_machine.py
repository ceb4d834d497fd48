"""The hidden-hazard closed loop: every legal transition, every illegal one refused with the reason,
the 五落实 gate for major hazards, and who may take which step."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from yingji.core.clock import utcnow
from yingji.core.errors import Conflict, PermissionDenied, ValidationFailed
from yingji.core.outbox import OutboxMessage
from yingji.risk.enums import HazardAction, HazardStatus
from yingji.risk.models import HazardEvent
from yingji.risk.schemas import FiveAssurances
from yingji.risk.service import hazards

from .helpers import new_hazard, user

NOTE = "说明"
# The loop as 令16 and the 销号 process (cn-rules.md §10, docs/risk.md) describe it, written out by hand: the
# department confirms or rejects a report; the unit starts and completes the rectification; the department
# verifies on site or returns it (verification failed: the work goes on), and closes (销号) a verified one; a
# closed hazard may be reopened (it recurs: rectify again), a rejected report reopened (judge it again).
PROCESS = [
    ("confirm", "reported", "confirmed"),
    ("reject", "reported", "rejected"),
    ("start", "confirmed", "rectifying"),
    ("start", "reopened", "rectifying"),
    ("complete", "rectifying", "rectified"),
    ("verify", "rectified", "verified"),
    ("return", "rectified", "rectifying"),
    ("close", "verified", "closed"),
    ("reopen", "closed", "reopened"),
    ("reopen", "rejected", "reported"),
]
LEGAL = [(HazardAction(a), HazardStatus(s), HazardStatus(t)) for a, s, t in PROCESS]
ILLEGAL = [(a, s) for a in HazardAction for s in HazardStatus if (a.value, s.value) not in {p[:2] for p in PROCESS}]


def test_the_process_names_every_action_and_status() -> None:
    assert {a for a, _, _ in PROCESS} == {a.value for a in HazardAction}
    assert {s for _, s, _ in PROCESS} | {t for _, _, t in PROCESS} == {s.value for s in HazardStatus}
    assert len(ILLEGAL) == len(HazardAction) * len(HazardStatus) - 10


def test_allowed_actions_follow_the_process() -> None:
    for status in HazardStatus:
        expected = sorted(a for a, s, _ in PROCESS if s == status.value)
        assert sorted(a.value for a in hazards.allowed_actions(status.value)) == expected, status


@pytest.mark.parametrize(("action", "start", "end"), LEGAL)
def test_every_legal_transition(db, action, start, end) -> None:
    duty = user(db, "duty")
    h = new_hazard(db)
    h.status = start.value
    db.flush()
    out = hazards.transition(db=db, actor=duty, hazard_id=h.id, action=action, note=NOTE)
    assert out.status == end
    event = db.scalars(select(HazardEvent).where(HazardEvent.hazard_id == h.id).order_by(HazardEvent.id.desc())).first()
    assert (event.action, event.from_status, event.to_status) == (action.value, start.value, end.value)
    assert event.actor_id == duty.id and event.note == NOTE and event.at is not None
    assert (out.closed_at is not None) == (end == HazardStatus.closed)


@pytest.mark.parametrize(("action", "start"), ILLEGAL)
def test_every_illegal_transition_is_refused_with_the_reason(db, action, start) -> None:
    h = new_hazard(db)
    h.status = start.value
    db.flush()
    with pytest.raises(Conflict) as exc:
        hazards.transition(db=db, actor=user(db, "duty"), hazard_id=h.id, action=action, note=NOTE)
    assert "当前状态为" in exc.value.message and "不能" in exc.value.message
    db.refresh(h)
    assert h.status == start  # nothing changed


def test_walk_from_report_to_closure_records_every_step(db) -> None:
    duty, chem = user(db, "duty"), user(db, "chem")
    h = new_hazard(db, actor=chem)
    assert h.source == "self_check" and h.status == "reported" and h.code.startswith("YH")
    for who, action in [
        (duty, "confirm"),
        (chem, "start"),
        (chem, "complete"),
        (duty, "return"),
        (chem, "complete"),
        (duty, "verify"),
        (duty, "close"),
    ]:
        hazards.transition(db=db, actor=who, hazard_id=h.id, action=action, note=NOTE)
    assert h.status == "closed"
    steps = [e.action for e in hazards.events(db=db, actor=duty, hazard_id=h.id)]
    assert steps == ["report", "confirm", "start", "complete", "return", "complete", "verify", "close"]


def test_notes_are_required_where_a_reason_is_owed(db) -> None:
    h = new_hazard(db)
    with pytest.raises(ValidationFailed) as exc:
        hazards.transition(db=db, actor=user(db, "duty"), hazard_id=h.id, action="reject", note="  ")
    assert exc.value.details[0].field == "note"


def test_confirm_needs_a_deadline_in_the_future(db) -> None:
    duty = user(db, "duty")
    h = new_hazard(db)
    with pytest.raises(ValidationFailed):
        hazards.transition(db=db, actor=duty, hazard_id=h.id, action="confirm", deadline=utcnow() - timedelta(days=1))
    h.deadline = None
    db.flush()
    with pytest.raises(ValidationFailed) as exc:
        hazards.transition(db=db, actor=duty, hazard_id=h.id, action="confirm")
    assert exc.value.details[0].field == "deadline"


def test_major_hazard_needs_five_assurances_and_is_reported(db) -> None:
    duty, chem = user(db, "duty"), user(db, "chem")
    h = new_hazard(db, actor=chem, grade="major")
    assert h.reported_to_regulator_at is not None
    msgs = list(db.scalars(select(OutboxMessage).where(OutboxMessage.key == f"risk.hazard.notice:{h.id}:major_report")))
    assert len(msgs) == 1
    hazards.transition(db=db, actor=duty, hazard_id=h.id, action="confirm")
    with pytest.raises(ValidationFailed) as exc:
        hazards.transition(db=db, actor=chem, hazard_id=h.id, action="start")
    assert "五落实" in exc.value.message
    assert {d.field for d in exc.value.details} == {"fa_responsibility", "fa_measures", "fa_funds", "fa_plan"}
    hazards.set_five_assurances(
        db=db,
        actor=chem,
        hazard_id=h.id,
        data=FiveAssurances(responsibility="总经理", measures="更换报警器", funds=Decimal("12000.50"), plan="专项预案"),
    )
    assert hazards.missing_five_assurances(h) == []
    assert hazards.transition(db=db, actor=chem, hazard_id=h.id, action="start").status == "rectifying"


def test_regrading_to_major_on_confirm_reports_it(db) -> None:
    h = new_hazard(db)
    assert h.reported_to_regulator_at is None
    hazards.transition(db=db, actor=user(db, "duty"), hazard_id=h.id, action="confirm", grade="major")
    assert h.grade == "major" and h.reported_to_regulator_at is not None


def test_listed_supervision_only_for_open_major_hazards(db) -> None:
    duty, leader = user(db, "duty"), user(db, "leader")
    general = new_hazard(db)
    with pytest.raises(Conflict):
        hazards.supervise(db=db, actor=duty, hazard_id=general.id, supervising_unit="区安委办")
    major = new_hazard(db, grade="major")
    hazards.supervise(db=db, actor=leader, hazard_id=major.id, supervising_unit="区安委办")
    assert major.supervised and major.supervising_unit == "区安委办"
    with pytest.raises(Conflict):
        hazards.supervise(db=db, actor=duty, hazard_id=major.id, supervising_unit="区安委办")


@pytest.mark.parametrize(
    ("who", "action"),
    [("chem", "confirm"), ("chem", "close"), ("officer", "confirm"), ("leader", "confirm"), ("liaison", "reject")],
)
def test_steps_reserved_to_the_regulator(db, who, action) -> None:
    actor = user(db, who)
    if who == "officer":  # a hazard in the officer's own village, which the officer can see
        village = actor.scope_path.split("/")[-1]
        h = new_hazard(db, enterprise_id=None, region_code=village, place="村口加油点")
        assert hazards.get_hazard(db=db, actor=actor, hazard_id=h.id).id == h.id
    else:
        h = new_hazard(db)
    with pytest.raises(PermissionDenied):
        hazards.transition(db=db, actor=actor, hazard_id=h.id, action=action, note=NOTE)


def test_rectification_steps_need_the_rectify_permission(db) -> None:
    h = new_hazard(db)
    h.status = "confirmed"
    db.flush()
    with pytest.raises(PermissionDenied):
        hazards.transition(db=db, actor=user(db, "leader"), hazard_id=h.id, action="start")
