"""Engine, sessions and the declarative base shared by every capability."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:
    from yingji.core.generations import GenerationReader

log = logging.getLogger(__name__)

# Constraint names are fixed here so that migrations name them the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on both databases (SQLite keeps no zone: stored naive UTC, read back aware)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Yingji stores timezone-aware UTC only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Execution option naming how a SQLite transaction begins: "IMMEDIATE" (the default: every engine.begin()
# of migrations, the CLI and claims) or "DEFERRED" (read sessions, see below).
BEGIN_OPTION = "yingji_begin"
_DEFERRED = "yingji_deferred_txn"
_WRITE_WORDS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "SAVEPOINT")


def _writes(statement: str, context: Any) -> bool:
    if statement.lstrip()[:9].upper().startswith(_WRITE_WORDS):
        return True
    # SELECT … FOR UPDATE means "I am about to write what I read": SQLite has no such clause, so the
    # write lock is taken before the read instead.
    compiled = getattr(context, "compiled", None)
    return getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is not None


class WriteQueue:
    """Writers of one SQLite file in this process take turns first come, first served.

    SQLite's own wait for its write lock is polling (sleep, retry) and unfair: a request's write can
    lose the race to a worker that commits and begins again every few milliseconds, for seconds on
    end. Queued here, a waiting writer gets the lock as soon as the one before it ends. (Other processes,
    e.g. ``yingji worker``, still meet SQLite's busy timeout.)"""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held = False
        self._waiters: deque[threading.Event] = deque()

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held and not self._waiters:
                self._held = True
                return True
            turn = threading.Event()
            self._waiters.append(turn)
        if turn.wait(timeout):
            return True
        with self._mutex:
            if turn.is_set():  # handed over just as the wait ran out
                return True
            self._waiters.remove(turn)
            return False

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().set()  # handed over: still held, by the next in line
            else:
                self._held = False


_queues: dict[str, WriteQueue] = {}
_queues_lock = threading.Lock()
WRITE_WAIT_S = 30.0


def _queue_for(path: str) -> WriteQueue:
    key = os.path.realpath(path)
    with _queues_lock:
        return _queues.setdefault(key, WriteQueue())


class _QueuedConnection(sqlite3.Connection):
    """A pysqlite connection that holds its file's ``WriteQueue`` turn from BEGIN IMMEDIATE until its
    transaction ends, whichever thread ends it (FastAPI may commit in another thread than the query)."""

    write_queue: WriteQueue | None = None
    holds_turn = False

    def take_turn(self) -> None:
        if self.write_queue is None or self.holds_turn:
            return
        if not self.write_queue.acquire(WRITE_WAIT_S):
            raise sqlite3.OperationalError(f"database is locked (waited {WRITE_WAIT_S:.0f} s for the write lock)")
        self.holds_turn = True

    def give_turn(self) -> None:
        if self.holds_turn and self.write_queue is not None:
            self.holds_turn = False
            self.write_queue.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.give_turn()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.give_turn()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.give_turn()


def _begin_immediate(raw: Any, cursor: Any) -> None:
    take = getattr(raw, "take_turn", None)
    if take is not None:
        take()
    try:
        cursor.execute("BEGIN IMMEDIATE")
    except BaseException:
        if take is not None:
            raw.give_turn()
        raise


# Threads of one process that may each hold a connection at the same moment: the web server runs every
# synchronous endpoint on AnyIO's default thread pool (40 threads), each request holding its session until
# it answers, and the in-process workers (outbox threads, scheduler, MQTT ingestion) hold one each. The
# pool must have room for all of them: a request that waited longer than the pool's timeout for a
# connection answered 500 (on PostgreSQL, with 10 + 20 connections, at 50 concurrent clients).
WEB_THREADS = 40
WORKER_THREADS = 10
POOL_CONNECTIONS = WEB_THREADS + WORKER_THREADS


def make_engine(url: str, *, pool_size: int | None = None, max_overflow: int | None = None, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        # SQLite connections are cheap; the pool must never be what a request waits for (the web
        # server's thread pool has 40 threads, plus the workers).
        if ":memory:" not in url and "poolclass" not in kwargs:
            kwargs.setdefault("pool_size", pool_size or 20)
            kwargs.setdefault("max_overflow", max_overflow if max_overflow is not None else 60)
            kwargs.setdefault("pool_timeout", 30)
        connect_args = {
            "check_same_thread": False,
            "timeout": 30,
            "factory": _QueuedConnection,
            **kwargs.pop("connect_args", {}),
        }
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        path = engine.url.database or ""
        queue = _queue_for(path) if path and path != ":memory:" else None

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            if isinstance(dbapi_connection, _QueuedConnection):
                dbapi_connection.write_queue = queue
            # pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT: switch it off and
            # let SQLAlchemy's "begin" below start every transaction.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # IMMEDIATE takes the write lock up front: a transaction that reads and then writes never
            # fails with "database is locked" on the lock upgrade; other writers wait (busy timeout).
            # A read session begins DEFERRED: in WAL mode readers neither wait for nor block the writer.
            mode = conn.get_execution_options().get(BEGIN_OPTION, "IMMEDIATE")
            raw = conn.connection.driver_connection
            cursor = raw.cursor()
            try:
                if mode == "DEFERRED":
                    cursor.execute("BEGIN DEFERRED")
                else:
                    _begin_immediate(raw, cursor)
            finally:
                cursor.close()
            conn.info[_DEFERRED] = mode == "DEFERRED"

        @event.listens_for(engine, "before_cursor_execute")
        def _upgrade_on_write(conn: Any, cursor: Any, statement: str, _p: Any, context: Any, _many: bool) -> None:
            # A read session that writes after all: SQLite cannot turn a read transaction into a write
            # one while another connection writes (it fails at once, without waiting). So the read
            # snapshot is ended and an IMMEDIATE transaction begun in its place, which waits its turn.
            # What was read before is then as "read committed" as on PostgreSQL.
            if conn.info.get(_DEFERRED) and _writes(statement, context):
                conn.info[_DEFERRED] = False
                log.debug("read transaction upgraded to a write transaction by: %.80s", statement)
                cursor.execute("COMMIT")
                _begin_immediate(conn.connection.driver_connection, cursor)

        @event.listens_for(engine, "commit")
        @event.listens_for(engine, "rollback")
        def _txn_end(conn: Any) -> None:
            conn.info[_DEFERRED] = False

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if "poolclass" not in kwargs:
        # 10 kept open; the others opened when the threads need them and closed when returned.
        size = pool_size or 10
        kwargs.setdefault("pool_size", size)
        kwargs.setdefault("max_overflow", max_overflow if max_overflow is not None else POOL_CONNECTIONS - size)
        kwargs.setdefault("pool_timeout", 30)
    engine = create_engine(url, pool_pre_ping=True, **kwargs)

    @event.listens_for(engine, "connect")
    def _no_jit(dbapi_conn: Any, _record: Any) -> None:
        # JIT compilation pays off on long analytical queries; ours are short, and the planner's guesses
        # for a lateral scan over ranges of grid cells (rows over-estimated a thousandfold) made it
        # compile each such statement, 34 ms every time (docs/warnings.md, "Counting different phones").
        dbapi_conn.execute("SET jit = off")
        dbapi_conn.commit()  # a SET of a transaction rolled back would be undone

    return engine


class Database:
    """An engine (or, in tests, one connection) and its session factory. The app, the CLI and the
    workers each hold one."""

    def __init__(self, bind: Engine | Connection, **session_kwargs: Any) -> None:
        self.bind = bind
        self.sessionmaker = sessionmaker(bind=bind, expire_on_commit=False, **session_kwargs)
        # Sessions that mostly read (GET requests, read phases of jobs): on SQLite they begin DEFERRED
        # and take the write lock only if and when they write (see ``make_engine``).
        self.read_sessionmaker = sessionmaker(
            bind=bind, expire_on_commit=False, execution_options={BEGIN_OPTION: "DEFERRED"}, **session_kwargs
        )

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(make_engine(url))

    @property
    def dialect(self) -> str:
        return self.bind.dialect.name

    @cached_property
    def generations(self) -> GenerationReader:
        """The generations of the kept pages, read for many requests at once (``core.generations``)."""
        from yingji.core.generations import GenerationReader  # it imports the models, which import this

        return GenerationReader(self.bind)

    @contextmanager
    def transaction(self, *, actor_id: int | None = None, read: bool = False) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error. ``read=True`` for one that
        reads (and at most writes a little at its end): on SQLite it holds no lock while it reads.
        Keep write transactions short: on SQLite every other writer waits for them."""
        maker = self.read_sessionmaker if read else self.sessionmaker
        with maker() as session, session.begin():
            session.info["actor_id"] = actor_id
            yield session
