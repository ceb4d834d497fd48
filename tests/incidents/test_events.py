"""The incidents capability's facts are in the catalogue with their publisher, and it subscribes to alarms."""

from __future__ import annotations

from yingji.core import events


def test_incident_facts_and_the_alarm_subscriber_are_catalogued() -> None:
    from yingji.bootstrap import bootstrap

    bootstrap()
    by_name = {e.name: e for e in events.catalogue()}
    for name in ("IncidentReported", "IncidentGradeChanged", "ReportOverdue"):
        assert by_name[name].publisher == "incidents", name
    assert "incidents.propose_incident_from_alarm" in by_name["AlarmRaised"].subscribers
