"""The patrol rule with a fixed clock, and the 地质灾害气象风险预警 levels (cn-rules §6.3)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from yingji.natural.standards import geological_warning_level, patrol_due, patrol_overdue

ISSUED = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)


def test_warning_levels() -> None:
    assert geological_warning_level("red") == ("Ⅰ级", "很高")
    assert geological_warning_level("yellow") == ("Ⅲ级", "较高")
    with pytest.raises(ValueError):
        geological_warning_level("purple")


def test_a_yellow_rainstorm_asks_for_a_patrol_within_12_hours() -> None:
    due = patrol_due(warning="rainstorm", level="yellow", issued_at=ISSUED)
    assert due.due_at == ISSUED + timedelta(hours=12)
    assert patrol_due(warning="rainstorm", level="red", issued_at=ISSUED).due_at == ISSUED + timedelta(hours=2)
    assert patrol_due(warning="rainstorm", level="blue", issued_at=ISSUED) is None


def test_overdue_only_when_nobody_patrolled_in_time() -> None:
    due = patrol_due(warning="rainstorm", level="yellow", issued_at=ISSUED)
    at_due = ISSUED + timedelta(hours=12)
    assert not patrol_overdue(due, patrols=[], issued_at=ISSUED, now=at_due - timedelta(seconds=1))
    assert patrol_overdue(due, patrols=[], issued_at=ISSUED, now=at_due)
    assert not patrol_overdue(due, patrols=[ISSUED + timedelta(hours=11)], issued_at=ISSUED, now=at_due)
    # a patrol from before the warning does not count, nor one after the due time
    assert patrol_overdue(due, patrols=[ISSUED - timedelta(hours=1), at_due + timedelta(minutes=1)],
                          issued_at=ISSUED, now=at_due + timedelta(hours=1))


def test_patrol_window_edges_and_the_rule_of_each_warning_kind() -> None:
    due = patrol_due(warning="rainstorm", level="orange", issued_at=ISSUED)
    assert (due.patrol, due.due_at) == ("雨中巡查", ISSUED + timedelta(hours=6))
    assert due.basis.startswith("群测群防巡查制度（默认值：黄色 12 小时")  # the 暴雨 rule, not another kind's
    assert patrol_due(warning="geological_hazard", level="red", issued_at=ISSUED).basis == "群测群防巡查制度（默认值）"
    assert patrol_due(warning="typhoon", level="red", issued_at=ISSUED) is None
    later = ISSUED + timedelta(days=1)
    # A patrol exactly at the issue or exactly at the due time is in time (both edges inclusive).
    assert not patrol_overdue(due, patrols=[ISSUED], issued_at=ISSUED, now=later)
    assert not patrol_overdue(due, patrols=[due.due_at], issued_at=ISSUED, now=later)
    with pytest.raises(ValueError, match="unknown warning colour 'purple'"):
        geological_warning_level("purple")
    with pytest.raises(dataclasses.FrozenInstanceError):
        due.due_at = later  # type: ignore[misc]
