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


def test_demo_years_follow_the_plan_line(db) -> None:
    """专栏1: 2019 base 33 work-safety deaths, 2020 30 accidents and 30 deaths, 2025 target 28 deaths (down
    15%), no major accident: the demo's five years fall every year, end at or under 28, and stay 一般."""
    from yingji.incidents.standards import incident_kinds

    demo = list(db.scalars(select(Incident).where(Incident.description.startswith("【演示数据"),
                                                  Incident.status == "closed")))
    accidents = [i for i in demo if incident_kinds()[i.kind].scheme == "accident"]
    per_year = {}
    for i in accidents:
        year = i.occurred_at.astimezone(LOCAL_TZ).year
        n, d = per_year.get(year, (0, 0))
        per_year[year] = (n + 1, d + i.deaths)
    assert sorted(per_year) == [2021, 2022, 2023, 2024, 2025]
    deaths = [per_year[y][1] for y in sorted(per_year)]
    counts = [per_year[y][0] for y in sorted(per_year)]
    assert deaths == sorted(deaths, reverse=True) and len(set(deaths)) == 5 and deaths[0] < 33 and deaths[-1] <= 28
    assert counts == sorted(counts, reverse=True) and counts[0] < 30
    assert all(i.grade == "IV" for i in accidents)  # 一般: below 3 deaths, no 较大 or 重大 accident
    assert all(i.title and i.summary.startswith("【演示数据") for i in demo)


def test_demo_disasters_have_their_reports_and_the_rainstorm_its_area(db) -> None:
    from yingji.incidents.report_models import AffectedArea, DisasterReport

    demo = list(db.scalars(select(Incident).where(Incident.description.startswith("【演示数据"),
                                                  Incident.scheme == "natural")))
    closed = [i for i in demo if i.status == "closed"]
    assert len(closed) == 5
    for i in closed:
        kinds = [r.kind for r in db.scalars(select(DisasterReport).where(DisasterReport.incident_id == i.id)
                                            .order_by(DisasterReport.number))]
        assert kinds == ["initial", "follow_up", "final"] and i.deaths + i.missing == 0
    [rain] = [i for i in demo if i.status == "open"]
    assert db.scalar(select(AffectedArea).where(AffectedArea.incident_id == rain.id)) is not None
    assert [r.kind for r in db.scalars(select(DisasterReport).where(DisasterReport.incident_id == rain.id))] == [
        "initial"]
