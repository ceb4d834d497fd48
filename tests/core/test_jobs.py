from __future__ import annotations

from datetime import UTC, datetime, timedelta

from yingji.core import jobs

runs: list[str] = []


@jobs.scheduled("test.tick", every_s=60, description="test job")
def _tick(db) -> str:
    runs.append("tick")
    return "ticked"


@jobs.scheduled("test.boom", every_s=60)
def _boom(db) -> str:
    raise ValueError("broken job")


def test_due_jobs_run_once_per_interval(database, fixed_clock) -> None:
    runs.clear()
    t = datetime(2026, 6, 1, tzinfo=UTC)
    fixed_clock(t)
    assert jobs.run_job(database, "test.tick", force=False) == "ticked"
    assert jobs.run_job(database, "test.tick", force=False) is None  # interval not passed
    fixed_clock(t + timedelta(seconds=61))
    assert jobs.run_job(database, "test.tick", force=False) == "ticked"
    assert runs == ["tick", "tick"]


def test_a_failing_job_is_recorded_not_raised(database) -> None:
    summary = jobs.run_job(database, "test.boom")
    assert summary == "ValueError: broken job"
    with database.transaction() as s:
        row = s.get(jobs.JobRun, "test.boom")
        assert row.last_status == "error" and row.locked_until is None
