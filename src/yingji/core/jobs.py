"""Scheduled jobs. Each capability registers its jobs in its ``scheduled.py``; ``yingji jobs list | run``
and the scheduler inside ``yingji serve`` run them. A job takes a session and returns a short summary;
a job registered with ``transaction=False`` takes the ``Database`` instead and commits in small steps of
its own (a long job must not hold SQLite's write lock for its whole run).

A run is claimed through the ``job_runs`` row so that several processes never run the same job at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from yingji.core.clock import utcnow
from yingji.core.db import Base, Database, UTCDateTime

log = logging.getLogger(__name__)

JobFn = Callable[[Session], str | None]


@dataclass(frozen=True)
class Job:
    name: str
    every_s: int
    fn: Callable[..., str | None]
    description: str
    transaction: bool = True


_jobs: dict[str, Job] = {}


def scheduled(
    name: str, *, every_s: int, description: str = "", transaction: bool = True
) -> Callable[[Callable[..., str | None]], Callable[..., str | None]]:
    def register(fn: Callable[..., str | None]) -> Callable[..., str | None]:
        summary = description or (fn.__doc__ or "").strip().split("\n")[0]
        _jobs[name] = Job(name, every_s, fn, summary, transaction)
        return fn

    return register


def all_jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda j: j.name)


def get_job(name: str) -> Job:
    if name not in _jobs:
        raise KeyError(name)
    return _jobs[name]


class JobRun(Base):
    __tablename__ = "job_runs"
    __audit__ = False

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    last_started: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_finished: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[str | None] = mapped_column(String(12))
    last_summary: Mapped[str | None] = mapped_column(Text)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    runs: Mapped[int] = mapped_column(Integer, default=0)


def _claim(database: Database, job: Job, *, force: bool) -> bool:
    now = utcnow()
    try:
        with database.transaction() as db:
            q = select(JobRun).where(JobRun.name == job.name)
            if database.dialect == "postgresql":
                q = q.with_for_update(skip_locked=True)
            row = db.scalar(q)
            if row is None:
                exists = db.get(JobRun, job.name) is not None
                if exists:  # locked by another process right now
                    return False
                row = JobRun(name=job.name, runs=0)
                db.add(row)
            elif (
                row.locked_until
                and row.locked_until > now
                or not force
                and row.last_started
                and row.last_started + timedelta(seconds=job.every_s) > now
            ):
                return False
            row.last_started = now
            row.locked_until = now + timedelta(seconds=max(job.every_s, 300))
            return True
    except IntegrityError:  # another process created the row first
        return False


def run_job(database: Database, name: str, *, force: bool = True) -> str | None:
    """Runs a job now if no one else is running it; returns its summary (None when skipped)."""
    job = get_job(name)
    if not _claim(database, job, force=force):
        return None
    status, summary = "ok", ""
    try:
        if job.transaction:
            with database.transaction() as db:
                summary = job.fn(db) or ""
        else:
            summary = job.fn(database) or ""
    except Exception as exc:  # recorded on the job row and in the log, and the scheduler goes on
        status, summary = "error", f"{type(exc).__name__}: {exc}"
        log.exception("job %s failed", name)
    with database.transaction() as db:
        row = db.get(JobRun, name)
        assert row is not None
        row.last_finished, row.last_status, row.last_summary = utcnow(), status, summary[:2000]
        row.locked_until, row.runs = None, (row.runs or 0) + 1
    return summary


def run_due(database: Database) -> list[str]:
    """Runs every job whose interval has passed; returns the names that ran."""
    ran = []
    for job in all_jobs():
        if run_job(database, job.name, force=False) is not None:
            ran.append(job.name)
    return ran
