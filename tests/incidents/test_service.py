"""Recorded incidents: the grade follows the counts with a history, a raised grade owes more reports,
lateness in minutes, duplicates merged keeping both reports, the version check, overdue reports told to
the duty room, and alarms only proposed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.incidents.helpers import JINDE, LABAO, T0, report
from yingji.core import outbox
from yingji.core.actor import SYSTEM
from yingji.core.errors import Conflict, ValidationFailed
from yingji.core.events import publish, subscribe, topic_of
from yingji.incidents import service
from yingji.incidents.events import ReportOverdue
from yingji.incidents.models import AlarmProposal, CasualtyChange, Incident, IncidentReport
from yingji.incidents.schemas import CasualtyUpdate
from yingji.monitoring.events import AlarmRaised

overdue_seen: list[ReportOverdue] = []


@subscribe(ReportOverdue, name="tests.record_overdue")
def _record(db, event) -> None:
    overdue_seen.append(event)


def codes(db, incident, status="open"):
    return sorted({o.code for o in service.incident_obligations(db, incident.id) if o.status == status})


def test_a_report_is_graded_and_owes_its_reports(db, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(minutes=30))
    incident = report(db, deaths=1)
    assert (incident.grade, incident.grade_label, incident.status, incident.version) == ("IV", "一般", "open", 1)
    # 一般 accident: the county reports up within 2 h, follow-ups daily; the unit's 1 h report is the receipt.
    assert codes(db, incident) == ["county_to_city", "follow_up"]
    unit = next(o for o in service.incident_obligations(db, incident.id) if o.code == "unit_to_county")
    assert (unit.status, unit.late_minutes) == ("fulfilled", 0)


def test_report_received_after_the_hour_is_late_by_its_minutes(db, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(hours=2))
    incident = report(db, received_at=T0 + timedelta(minutes=75))
    unit = next(o for o in service.incident_obligations(db, incident.id) if o.code == "unit_to_county")
    assert unit.late_minutes == 15  # due 11:00, received 11:15 Beijing


def test_casualty_change_regrades_with_history_and_owes_more(db, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(minutes=20))
    incident = report(db, deaths=2)
    fixed_clock(T0 + timedelta(hours=3))
    # Three deaths is 较大 (令493 第三条: "3人以上30人以下死亡", 以上 includes the number).
    changed = service.change_casualties(db=db, actor=SYSTEM, incident_id=incident.id, data=CasualtyUpdate(
        version=1, deaths=3, source="县人民医院电话"))
    assert (changed.grade, changed.version) == ("III", 2)
    rows = db.scalars(select(CasualtyChange).where(CasualtyChange.incident_id == incident.id)).all()
    expected = [("deaths", 2, 3, "县人民医院电话", "系统")]
    assert [(r.field, r.old, r.new, r.source, r.actor_name) for r in rows] == expected
    history = service.detail(db=db, actor=SYSTEM, incident_id=incident.id)["grade_history"]
    assert [(h.old_grade, h.new_grade) for h in history] == [("", "IV"), ("IV", "III")]
    owed = codes(db, incident)
    # 较大: the unit to the province within 1 h and the county's phone report to the province; the
    # change itself is reported the same day.
    assert {"unit_to_province", "county_phone_province", "casualty_change"} <= set(owed)
    province = next(o for o in service.incident_obligations(db, incident.id) if o.code == "unit_to_province")
    assert province.due_at == T0 + timedelta(hours=1)  # from the occurrence, already past: overdue at once


def test_lowered_grade_cancels_what_is_no_longer_owed(db, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(minutes=10))
    incident = report(db, deaths=3)
    assert "county_phone_province" in codes(db, incident)
    service.change_casualties(db=db, actor=SYSTEM, incident_id=incident.id,
                              data=CasualtyUpdate(version=1, deaths=2, source="核实：一人为重伤"))
    assert incident.grade == "IV"
    assert "county_phone_province" in codes(db, incident, status="cancelled")


def test_stale_version_is_a_conflict_and_changes_nothing(db, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(minutes=10))
    incident = report(db)
    service.change_casualties(db=db, actor=SYSTEM, incident_id=incident.id,
                              data=CasualtyUpdate(version=1, trapped=2, source="现场"))
    with pytest.raises(Conflict, match="第 1 版，现在是第 2 版"):
        service.change_casualties(db=db, actor=SYSTEM, incident_id=incident.id,
                                  data=CasualtyUpdate(version=1, trapped=5, source="另一位值班员"))
    assert incident.trapped == 2


def test_three_trapped_is_a_major_near_miss(db, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(minutes=10))
    incident = report(db, trapped=3)  # 令21 第二十六条: 3人以上被困或者下落不明
    assert incident.near_miss and incident.grade == "IV"
    assert "county_phone_province" in codes(db, incident)


def test_fulfilled_late_is_flagged_with_minutes(db, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(minutes=10))
    incident = report(db)
    up = next(o for o in service.incident_obligations(db, incident.id) if o.code == "county_to_city")
    assert up.due_at == T0 + timedelta(minutes=10, hours=2)  # 2 h from receipt
    fixed_clock(T0 + timedelta(hours=3))
    done = service.fulfil(db=db, actor=SYSTEM, obligation_id=up.id)
    assert (done.status, done.late_minutes) == ("fulfilled", 50)


def test_merge_keeps_both_reports_and_the_earlier_times(db, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(hours=1))
    first = report(db, kind="landslide", occurred_at=T0 + timedelta(minutes=20), reporter_name="村民甲")
    second = report(db, kind="landslide", occurred_at=T0, reporter_name="村民乙")
    kept = service.merge(db=db, actor=SYSTEM, incident_id=first.id, duplicate_id=second.id, version=1)
    reports = db.scalars(select(IncidentReport).where(IncidentReport.incident_id == kept.id)).all()
    assert sorted(r.reporter_name for r in reports) == ["村民乙", "村民甲"]
    assert kept.occurred_at == T0 and second.status == "merged" and second.merged_into_id == first.id
    assert codes(db, second) == []  # the duplicate owes nothing more


def test_bad_report_names_the_field_and_keeps_nothing(db, fixed_clock) -> None:
    fixed_clock(T0)
    before = db.query(Incident).count()
    for fields, field in [({"kind": "meteor"}, "kind"), ({"occurred_at": T0 + timedelta(hours=1)}, "occurred_at"),
                          ({"region_code": None}, "region_code"), ({"region_code": "999"}, "region_code")]:
        with pytest.raises(ValidationFailed) as err:
            report(db, **fields)
        assert err.value.details[0].field == field
    assert db.query(Incident).count() == before


def test_overdue_report_tells_the_duty_officer_then_the_leader(db, database, fixed_clock) -> None:
    from datetime import date

    from tests.incidents.test_duty import xlsx
    from yingji.accounts.models import User

    overdue_seen.clear()
    roster = [[date(2026, 6, 1), "值班员", "韦明", "13877001133", None, "duty"],
              [date(2026, 6, 1), "带班领导", "覃华", "13877001122", None, "leader"]]
    service.import_roster(db=db, actor=SYSTEM, data=xlsx(roster))
    ids = {u.username: u.id for u in db.query(User).filter(User.username.in_(["duty", "leader"]))}
    fixed_clock(T0 + timedelta(minutes=10))
    incident = report(db, region_code=JINDE)
    fixed_clock(T0 + timedelta(hours=2, minutes=11))  # county_to_city due 12:10 Beijing
    assert service.check_overdue(db) == 1
    assert service.check_overdue(db) == 0  # told once
    fixed_clock(T0 + timedelta(hours=2, minutes=41))  # the 30-minute grace passed
    assert service.check_overdue(db) == 1
    db.flush()
    outbox.drain(database, topics=[topic_of(ReportOverdue)])
    mine = [(e.code, e.level, e.recipients, e.user_ids) for e in overdue_seen if e.incident_id == incident.id]
    assert mine == [("county_to_city", "duty", ("韦明",), (ids["duty"],)),
                    ("county_to_city", "leader", ("覃华",), (ids["leader"],))]


def test_alarm_is_proposed_never_opened(db, database) -> None:
    before = db.query(Incident).count()
    publish(db, AlarmRaised(alarm_id=987654, level="red", previous_level=None, sensor_kind="rain_gauge",
                            region_path="450206000000/450206100000", rule_name="1小时雨量≥50mm", at=T0))
    db.flush()
    outbox.drain(database, topics=[topic_of(AlarmRaised)])
    db.expire_all()
    proposal = db.scalar(select(AlarmProposal).where(AlarmProposal.alarm_id == 987654))
    assert proposal is not None and proposal.status == "pending"
    assert db.query(Incident).count() == before


def test_accepting_a_proposal_opens_an_alarm_incident(db, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(minutes=5))
    p = service.propose_from_alarm(db, alarm_id=55501, level="red", sensor_kind="water_level",
                                   region_path="450206000000/450206100000", rule_name="水位超警", at=T0)
    from yingji.incidents.schemas import IncidentCreate

    incident = service.accept(db=db, actor=SYSTEM, proposal_id=p.id,
                              data=IncidentCreate(kind="flood", occurred_at=T0, region_code=LABAO))
    assert (incident.source, p.status, p.incident_id) == ("alarm", "accepted", incident.id)
