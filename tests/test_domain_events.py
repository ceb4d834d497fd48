"""Where the facts happen, the events are published: a subscriber registered here receives a hazard
report, a team's status, a shelter's occupancy and an alarm's end, with the facts' own values."""

from __future__ import annotations

from sqlalchemy import select

from tests.risk.helpers import new_hazard
from yingji.core import outbox
from yingji.core.actor import SYSTEM
from yingji.core.events import subscribe, topic_of
from yingji.monitoring import service as monitoring_service
from yingji.monitoring.events import AlarmResolved
from yingji.monitoring.models import Alarm
from yingji.resources.events import ShelterOccupancyChanged, TeamStatusChanged
from yingji.risk.events import HazardReported

seen: list = []


@subscribe(HazardReported, name="tests.record_hazard")
def _hazard(db, event) -> None:
    seen.append(event)


@subscribe(TeamStatusChanged, name="tests.record_team")
def _team(db, event) -> None:
    seen.append(event)


@subscribe(ShelterOccupancyChanged, name="tests.record_shelter")
def _shelter(db, event) -> None:
    seen.append(event)


@subscribe(AlarmResolved, name="tests.record_alarm")
def _alarm(db, event) -> None:
    seen.append(event)


TOPICS = [topic_of(t) for t in (HazardReported, TeamStatusChanged, ShelterOccupancyChanged, AlarmResolved)]


def test_hazard_report_publishes_hazard_reported(db, database) -> None:
    seen.clear()
    hazard = new_hazard(db)
    db.flush()
    outbox.drain(database, topics=TOPICS)
    mine = [e for e in seen if isinstance(e, HazardReported) and e.hazard_id == hazard.id]
    assert len(mine) == 1 and mine[0].code == hazard.code and mine[0].region_path == hazard.region_path


def test_team_status_and_shelter_occupancy_publish(api, database) -> None:
    seen.clear()
    c = api("duty")
    team = c.get("/api/v1/resources/teams").json()["items"][0]
    assert c.put(f"/api/v1/resources/teams/{team['id']}/status", json={"status": "deployed"}).status_code == 200
    shelter = next(s for s in c.get("/api/v1/resources/shelters").json()["items"] if not s["open"])
    r = c.put(f"/api/v1/resources/shelters/{shelter['id']}/occupancy", json={"occupancy": 3, "open": True})
    assert r.status_code == 200, r.text
    outbox.drain(database, topics=TOPICS)
    # Only this test's changes: the demo's own dispatch (a team sent, a shelter opened) is in the outbox too.
    teams = [e for e in seen if isinstance(e, TeamStatusChanged) and e.team_id == team["id"]]
    shelters = [e for e in seen if isinstance(e, ShelterOccupancyChanged) and e.shelter_id == shelter["id"]]
    assert [(e.team_id, e.status, e.previous_status) for e in teams] == [(team["id"], "deployed", team["status"])]
    assert [(e.shelter_id, e.occupancy, e.open) for e in shelters] == [(shelter["id"], 3, True)]


def test_closing_an_alarm_publishes_alarm_resolved(db, database) -> None:
    seen.clear()
    alarm = db.scalar(select(Alarm).where(Alarm.state.in_(["open", "acknowledged"])).order_by(Alarm.id))
    assert alarm is not None, "the demo district has active alarms"
    monitoring_service.close(db=db, actor=SYSTEM, alarm_id=alarm.id, note="现场核实")
    db.flush()
    outbox.drain(database, topics=TOPICS)
    assert [(e.alarm_id, e.state, e.closed_by) for e in seen if isinstance(e, AlarmResolved)] == [
        (alarm.id, "closed", None)
    ]
