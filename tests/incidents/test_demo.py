"""The demo data set: the roster of the current month, closed incidents with their reports owed (one of them
reported late), and one open rainstorm incident with a merged duplicate report."""

from __future__ import annotations

from sqlalchemy import select

from yingji.core.clock import LOCAL_TZ, utcnow
from yingji.incidents import service
from yingji.incidents.models import DutyAssignment, Incident, IncidentReport, Obligation


def test_demo_roster_covers_the_current_month(db) -> None:
    today = utcnow().astimezone(LOCAL_TZ).date()
    days = {a.day for a in db.scalars(select(DutyAssignment)) if (a.day.year, a.day.month) == (today.year, today.month)}
    assert today in days and len(days) >= 28
    shift = service.shift_of(db, today)
    assert len(shift.leaders) == 1 and len(shift.officers) == 2 and shift.townships


def test_demo_incidents(db) -> None:
    demo = list(db.scalars(select(Incident).where(Incident.description.startswith("【演示数据"))))
    closed = [i for i in demo if i.status == "closed"]
    rain = [i for i in demo if i.status == "open" and i.kind == "rainstorm"]
    assert len(closed) >= 5 and len(rain) == 1
    reports = db.scalars(select(IncidentReport).where(IncidentReport.incident_id == rain[0].id)).all()
    assert len(reports) == 2  # the duplicate's report merged in
    late = db.scalars(select(Obligation).where(Obligation.late_minutes > 0)).all()
    assert any(o.incident_id in {i.id for i in closed} for o in late)
    for incident in closed:  # nothing left owed on a closed demo incident
        assert all(o.status != "open" for o in service.incident_obligations(db, incident.id))
