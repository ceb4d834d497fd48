"""Incidents in people's 待办, seen from the outside (``/api/v1/notices``): a report past its deadline waits
for the duty officer on duty, after the grace period for the leader on duty too, and leaves both inboxes
when it is made; an alarm proposed as an incident waits for the duty officers until someone decides."""

from __future__ import annotations

from datetime import date, timedelta

from tests.incidents.helpers import JINDE, LABAO, T0, report
from tests.incidents.test_duty import xlsx
from yingji.core import outbox
from yingji.core.actor import SYSTEM
from yingji.core.events import topic_of
from yingji.incidents import service
from yingji.incidents.events import ReportOverdue


def waiting(client, ref_type: str, ref_id: int) -> list[dict]:
    r = client.get("/api/v1/notices?status=open&page_size=500")
    assert r.status_code == 200, r.text
    return [n for n in r.json()["items"] if n["ref_type"] == ref_type and n["ref_id"] == ref_id]


def test_an_overdue_report_waits_for_the_people_on_duty_until_it_is_made(db, database, api, fixed_clock) -> None:
    roster = [[date(2026, 6, 1), "值班员", "韦明", "13877001133", None, "duty"],
              [date(2026, 6, 1), "带班领导", "覃华", "13877001122", None, "leader"]]
    service.import_roster(db=db, actor=SYSTEM, data=xlsx(roster))
    fixed_clock(T0 + timedelta(minutes=10))
    incident = report(db, region_code=JINDE)
    owed = next(o for o in service.incident_obligations(db, incident.id) if o.code == "county_to_city")

    fixed_clock(T0 + timedelta(hours=2, minutes=11))  # due 12:10 Beijing: one minute past
    service.check_overdue(db)
    db.commit()
    outbox.drain(database, topics=[topic_of(ReportOverdue)])
    [notice] = waiting(api("duty"), "obligation", owed.id)
    assert notice["link"] == f"/incidents/{incident.id}" and "逾期未报" in notice["title"]
    assert waiting(api("leader"), "obligation", owed.id) == []  # not before the grace period
    assert waiting(api("labao"), "obligation", owed.id) == []  # nor anyone not on duty

    fixed_clock(T0 + timedelta(hours=2, minutes=41))  # the 30-minute grace passed
    service.check_overdue(db)
    db.commit()
    outbox.drain(database, topics=[topic_of(ReportOverdue)])
    assert len(waiting(api("leader"), "obligation", owed.id)) == 1

    service.fulfil(db=db, actor=SYSTEM, obligation_id=owed.id)
    db.commit()
    assert waiting(api("duty"), "obligation", owed.id) == []
    assert waiting(api("leader"), "obligation", owed.id) == []


def test_an_alarm_proposal_waits_for_the_duty_officers_until_decided(db, api, fixed_clock) -> None:
    fixed_clock(T0 + timedelta(minutes=5))
    p = service.propose_from_alarm(db, alarm_id=66601, level="red", sensor_kind="rain_gauge",
                                   region_path=f"450206000000/{LABAO}", rule_name="1小时雨量≥50mm", at=T0)
    db.commit()
    assert len(waiting(api("duty"), "alarm_proposal", p.id)) == 1
    assert waiting(api("chem"), "alarm_proposal", p.id) == []  # an enterprise manager decides no incident
    service.dismiss(db=db, actor=SYSTEM, proposal_id=p.id)
    db.commit()
    assert waiting(api("duty"), "alarm_proposal", p.id) == []
