"""A monitoring alarm hands over to a warning draft: the alarm page offers it, the drafting form is filled
from the alarm, and scope still applies."""

from __future__ import annotations

from sqlalchemy import select

from yingji.core.actor import SYSTEM
from yingji.monitoring import service as monitoring_service
from yingji.monitoring.models import Alarm


def _an_alarm(db) -> Alarm:
    alarm = db.scalar(select(Alarm).where(Alarm.sensor_id.is_not(None)).order_by(Alarm.id))
    assert alarm is not None, "the demo district has alarms from its generated history"
    return alarm


def test_summary_names_place_level_and_type(db) -> None:
    alarm = _an_alarm(db)
    found = monitoring_service.alarm_summary(db=db, actor=SYSTEM, alarm_id=alarm.id)
    assert found.level in ("red", "orange", "yellow", "blue")
    assert found.region_code == alarm.region_path.rsplit("/", 1)[-1]
    assert found.event_type != "" and f"#{alarm.id}" in found.description


def test_alarm_page_offers_a_draft_and_the_form_is_prefilled(page_client, db) -> None:
    alarm = _an_alarm(db)
    c = page_client("duty")
    page = c.get(f"/monitoring/alarms/{alarm.id}")
    assert page.status_code == 200 and f"/warnings/new?alarm={alarm.id}" in page.text
    form = c.get(f"/warnings/new?alarm={alarm.id}")
    assert form.status_code == 200
    summary = monitoring_service.alarm_summary(db=db, actor=SYSTEM, alarm_id=alarm.id)
    assert summary.headline in form.text
    assert f'<option value="{summary.region_code}" selected' in form.text


def test_unknown_alarm_is_404(page_client) -> None:
    assert page_client("duty").get("/warnings/new?alarm=999999").status_code == 404
