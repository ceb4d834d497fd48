"""SQLite under concurrency (a real file, several connections): a read session takes no lock, so it
answers while another connection holds the write lock; a read session that writes waits for the lock
instead of failing; an outbox handler registered ``transaction=False`` runs with no transaction open,
so what it starts may write; a job registered ``transaction=False`` gets the Database."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Integer, String, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from yingji.core import jobs, outbox
from yingji.core.db import Base, Database, make_engine
from yingji.core.outbox import OutboxMessage


class _TestBase(DeclarativeBase):  # its own metadata: the platform's models must match the migrations
    pass


class _Note(_TestBase):
    __tablename__ = "test_lock_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(String(40))


@pytest.fixture
def filedb(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'lock.db'}", connect_args={"timeout": 5})
    _TestBase.metadata.create_all(engine)
    Base.metadata.create_all(engine, tables=[OutboxMessage.__table__, jobs.JobRun.__table__])
    yield Database(engine)
    engine.dispose()


def _hold_write_lock(database: Database, seconds: float, started: threading.Event) -> threading.Thread:
    def hold() -> None:
        with database.transaction() as s:
            s.add(_Note(text="holder"))
            s.flush()
            started.set()
            time.sleep(seconds)

    t = threading.Thread(target=hold)
    t.start()
    assert started.wait(5)
    return t


def test_read_session_does_not_wait_for_the_writer(filedb: Database) -> None:
    started = threading.Event()
    holder = _hold_write_lock(filedb, 1.5, started)
    t0 = time.perf_counter()
    with filedb.transaction(read=True) as s:
        assert s.scalar(text("SELECT count(*) FROM test_lock_notes")) == 0  # the uncommitted row is not seen
    assert time.perf_counter() - t0 < 0.3
    holder.join()


def test_write_session_waits_for_the_writer(filedb: Database) -> None:
    # The default transaction is IMMEDIATE: it queues behind the holder (and therefore serialises writers).
    started = threading.Event()
    holder = _hold_write_lock(filedb, 1.0, started)
    t0 = time.perf_counter()
    with filedb.transaction() as s:
        s.scalar(text("SELECT 1"))
    assert time.perf_counter() - t0 > 0.7
    holder.join()


def test_read_session_that_writes_waits_for_the_lock_instead_of_failing(filedb: Database) -> None:
    with filedb.transaction() as s:
        s.add(_Note(text="first"))
    started = threading.Event()
    errors: list[BaseException] = []

    def reader_then_writer() -> None:
        try:
            with filedb.transaction(read=True) as s:
                assert s.scalar(text("SELECT count(*) FROM test_lock_notes")) == 1
                started.wait(5)
                time.sleep(0.2)  # the holder now has the write lock and commits a row after our read
                s.add(_Note(text="from a read session"))
                s.flush()
        except BaseException as exc:
            errors.append(exc)

    t = threading.Thread(target=reader_then_writer)
    t.start()
    holder = _hold_write_lock(filedb, 0.8, started)
    t.join()
    holder.join()
    # Without the upgrade SQLite refuses the write at once ("database is locked", a stale snapshot).
    assert errors == []
    with filedb.transaction(read=True) as s:
        assert s.scalar(text("SELECT count(*) FROM test_lock_notes")) == 3


seen_in_handler: list[str] = []


@outbox.handler("test.locking.outside", transaction=False)
def _outside(database: Database, message: OutboxMessage) -> None:
    # Another thread writes while the handler runs: it could not if the handler held a transaction.
    def other() -> None:
        with database.transaction() as s:
            s.add(_Note(text=message.payload["text"]))

    t = threading.Thread(target=other)
    t0 = time.perf_counter()
    t.start()
    t.join(10)
    seen_in_handler.append(f"{time.perf_counter() - t0:.1f}")


def test_outside_handler_holds_no_transaction(filedb: Database) -> None:
    seen_in_handler.clear()
    with filedb.transaction() as s:
        msg = outbox.enqueue(s, topic="test.locking.outside", payload={"text": "sent"})
    assert outbox.drain(filedb, topics=["test.locking.outside"]) == 1
    # The other writer got in at once (with the old scheme it waited out the 5 s busy timeout and failed).
    assert seen_in_handler == ["0.0"]
    with filedb.transaction(read=True) as s:
        assert s.get(OutboxMessage, msg.id).status == "done"
        assert s.scalar(text("SELECT text FROM test_lock_notes")) == "sent"


@jobs.scheduled("test.locking.job", every_s=3600, transaction=False)
def _job(database: Database) -> str:
    with database.transaction() as s:
        s.add(_Note(text="step 1"))
    with database.transaction() as s:
        s.add(_Note(text="step 2"))
    return "two steps"


def test_job_without_transaction_commits_its_own_steps(filedb: Database) -> None:
    assert jobs.run_job(filedb, "test.locking.job") == "two steps"
    with filedb.transaction(read=True) as s:
        assert s.scalar(text("SELECT count(*) FROM test_lock_notes")) == 2
        assert s.get(jobs.JobRun, "test.locking.job").last_status == "ok"
