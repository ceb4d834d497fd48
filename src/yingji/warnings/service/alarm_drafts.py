"""Warning drafts opened from monitoring alarms by a configured rule ("on a red alarm of kind X, open a
draft"). The draft is an ordinary draft: a person reviews, submits and another signs before anything
is published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from yingji.core.actor import Actor
from yingji.core.clock import utcnow
from yingji.core.errors import invalid
from yingji.monitoring import service as monitoring_service
from yingji.warnings.enums import Level
from yingji.warnings.models import AlarmDraft, WarningMessage
from yingji.warnings.schemas import WarningCreate
from yingji.warnings.service.authoring import create_warning
from yingji.warnings.settings import settings

RANK = {Level.blue: 1, Level.yellow: 2, Level.orange: 3, Level.red: 4}
DRAFT_VALID = timedelta(hours=12)  # the same default validity as a draft opened by hand


@dataclass(frozen=True)
class AutoDraftRule:
    sensor_kind: str  # "*": any kind
    lowest_level: Level


def parse_rules(text: str) -> list[AutoDraftRule]:
    """``water_level:red,rain_gauge:orange`` → rules; a bad entry names itself in the error."""
    rules = []
    for entry in (e.strip() for e in text.split(",")):
        if not entry:
            continue
        kind, _, level = entry.partition(":")
        try:
            rules.append(AutoDraftRule(kind.strip(), Level((level or "red").strip())))
        except ValueError:
            raise invalid("auto_draft_from_alarms", f"“{entry}”的级别须为 red、orange、yellow 或 blue") from None
    return rules


def rule_applies(rules: list[AutoDraftRule], *, sensor_kind: str | None, level: str) -> bool:
    try:
        rank = RANK[Level(level)]
    except ValueError:
        return False
    return any(r.sensor_kind in ("*", sensor_kind) and rank >= RANK[r.lowest_level] for r in rules)


def configured_rules() -> list[AutoDraftRule]:
    return parse_rules(settings().auto_draft_from_alarms)


def open_draft_from_alarm(*, db: Session, actor: Actor, alarm_id: int) -> WarningMessage | None:
    """Opens the draft of ``alarm_id`` once (None when it has one already), filled as the 'draft from
    this alarm' form would be."""
    if db.get(AlarmDraft, alarm_id) is not None:
        return None
    found = monitoring_service.alarm_summary(db=db, actor=actor, alarm_id=alarm_id)
    now = utcnow()
    draft = create_warning(
        db=db,
        actor=actor,
        data=WarningCreate(
            event_type=found.event_type,
            level=Level(found.level),
            headline=found.headline[:140],
            description=found.description[:4000],
            effective=now,
            expires=now + DRAFT_VALID,
            area={"regions": [found.region_code]},
        ),
    )
    db.add(AlarmDraft(alarm_id=alarm_id, warning_id=draft.id, created_at=now))
    db.flush()
    return draft
