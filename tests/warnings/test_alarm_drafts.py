"""Alarm → warning draft without a click, where configured: a rule "on a red alarm of kind X, open a
draft" turns the alarm into one draft (never published without sign-off); without the rule nothing
happens; a kind or level the rule does not name opens nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.monitoring.helpers import T0, feed, make_rule, make_sensor
from yingji.core import outbox
from yingji.core.errors import ValidationFailed
from yingji.core.events import publish, topic_of
from yingji.monitoring.events import AlarmRaised
from yingji.monitoring.models import Alarm
from yingji.warnings.events import WarningDraftOpened
from yingji.warnings.models import AlarmDraft, WarningMessage
from yingji.warnings.service.alarm_drafts import parse_rules, rule_applies
from yingji.warnings.settings import settings

M = timedelta(minutes=1)


@pytest.fixture
def configured(monkeypatch):
    def set_rules(text: str) -> None:
        monkeypatch.setattr(settings(), "auto_draft_from_alarms", text)

    return set_rules


def _alarm(db, kind: str, level: str, value: float) -> Alarm:
    sensor = make_sensor(db, kind)
    rule = make_rule(db, name="测试超限", kind="threshold", level=level, sensor_code=sensor.code,
                     params={"op": ">=", "value": 10})
    feed(db, sensor, (M, value))
    alarm = db.scalar(select(Alarm).where(Alarm.sensor_id == sensor.id, Alarm.group == rule.group))
    assert alarm is not None and alarm.level == level
    return alarm


def _deliver(database) -> None:
    outbox.drain(database, topics=[topic_of(AlarmRaised), topic_of(WarningDraftOpened)])


def _draft_of(db, alarm: Alarm) -> WarningMessage | None:
    link = db.get(AlarmDraft, alarm.id)
    return db.get(WarningMessage, link.warning_id) if link else None


def test_red_alarm_of_a_configured_kind_opens_one_draft(db, database, fixed_clock, configured) -> None:
    configured("water_level:red")
    fixed_clock(T0 + 2 * M)
    alarm = _alarm(db, "water_level", "red", 12.5)
    _deliver(database)
    db.expire_all()
    draft = _draft_of(db, alarm)
    assert draft is not None
    assert (draft.status, draft.level, draft.event_type) == ("draft", "red", "flood")  # water level → 洪水
    assert draft.identifier is None and draft.published_at is None  # sign-off still required
    assert f"#{alarm.id}" in draft.description
    assert draft.region_path.endswith(alarm.region_path.rsplit("/", 1)[-1])
    # The same alarm raised again (it fell to orange and rose back to red): still one draft.
    publish(db, AlarmRaised(alarm_id=alarm.id, level="red", previous_level="orange", sensor_kind="water_level",
                            region_path=alarm.region_path, rule_name=alarm.rule_name, at=T0 + 5 * M))
    db.flush()
    _deliver(database)
    drafts = db.scalars(select(WarningMessage.id).where(WarningMessage.description.contains(f"#{alarm.id}："))).all()
    assert drafts == [draft.id]
    assert db.scalars(select(AlarmDraft.warning_id).where(AlarmDraft.alarm_id == alarm.id)).all() == [draft.id]


def test_without_a_rule_an_alarm_opens_no_draft(db, database, fixed_clock, configured) -> None:
    configured("")
    fixed_clock(T0 + 2 * M)
    alarm = _alarm(db, "water_level", "red", 12.5)
    _deliver(database)
    db.expire_all()
    assert _draft_of(db, alarm) is None


def test_a_kind_or_level_the_rule_does_not_name_opens_no_draft(db, database, fixed_clock, configured) -> None:
    configured("water_level:red")
    fixed_clock(T0 + 2 * M)
    orange = _alarm(db, "water_level", "orange", 12.5)
    other_kind = _alarm(db, "gas", "red", 12.5)
    _deliver(database)
    db.expire_all()
    assert _draft_of(db, orange) is None and _draft_of(db, other_kind) is None


def test_rules_parse_and_match_by_lowest_level() -> None:
    rules = parse_rules("water_level:orange, *:red")
    assert rule_applies(rules, sensor_kind="water_level", level="orange")
    assert rule_applies(rules, sensor_kind="water_level", level="red")
    assert not rule_applies(rules, sensor_kind="water_level", level="yellow")
    assert rule_applies(rules, sensor_kind="gas", level="red")
    assert not rule_applies(rules, sensor_kind="gas", level="orange")
    with pytest.raises(ValidationFailed, match="water_level:purple"):
        parse_rules("water_level:purple")
