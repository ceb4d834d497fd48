"""Map layers built once and served many times, until an event says they changed.

A map layer (GeoJSON of warnings, sensors, boundaries ...) is asked for by every open 一张图 page, again
and again, while it changes a few times an hour. So each layer is built and serialised to JSON once per
version and per viewer scope, kept in this process as bytes, and sent with an ETag: a browser that has it
gets ``304 Not Modified`` without a body.

What changes a layer is declared once, where the layer's capability subscribes to its events::

    layercache.invalidate_on("warnings", WarningPublished, WarningCancelled)

Each such event bumps the layer's row in ``map_layer_versions`` when it is published, in the transaction
that makes the change (``events.on_publish``): every process sees the new generation at that commit,
without waiting for the outbox, and the row is read by one primary-key query per request. Changes that no event
announces (a warning running past its expiry, a sensor's latest reading) are bounded by the layer's own
``valid_until`` / ``ttl_s``. The ETag is the hash of the bytes: a rebuild that yields the same JSON keeps
the browser's copy valid, and a 304 can never vouch for content other than the one served.

What no event announces but a table's rows carry (the dashboard's counts of regions, enterprises and
accounts, the header's 待办 badge) is declared by table instead::

    class Enterprise(Base):
        __generation__ = True  # the generation rows:enterprises

Any ORM flush or DML statement of a session that touches that table marks the generation, and the
session bumps it just before it commits, in the same transaction: the next page after that commit is
rebuilt. A write that bypasses the ORM session (raw SQL on a connection) is not seen; what is cached
that way also carries a short ``ttl_s``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, String, event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from yingji.core.clock import utcnow
from yingji.core.db import Base
from yingji.core.events import DomainEvent, on_publish


class LayerVersion(Base):
    """How many times the events that change a map layer have happened: the cache's generation."""

    __tablename__ = "map_layer_versions"
    __audit__ = False  # a counter, not a record anyone edits

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


def version(db: Session, layer: str) -> int:
    return db.scalar(select(LayerVersion.version).where(LayerVersion.name == layer)) or 0


_ALL = select(LayerVersion.name, LayerVersion.version)
_MEMO = "layercache.versions"


def versions(db: Session, layers: Iterable[str]) -> tuple[int, ...]:
    """The generations of ``layers`` in that order (0 for a layer never bumped). The table is a few dozen
    rows: it is read whole, once per session, so that a page's header and body need one query between
    them; ``bump`` forgets what was read."""
    found = db.info.get(_MEMO)
    if found is None:
        found = db.info[_MEMO] = dict(db.execute(_ALL).all())
    return versions_in(found, layers)


def versions_in(generations: Mapping[str, int], layers: Iterable[str]) -> tuple[int, ...]:
    """``versions`` from generations already read (``core.generations``)."""
    return tuple(generations.get(n, 0) for n in layers)


def seed(db: Session, generations: Mapping[str, int]) -> None:
    """Makes ``versions`` answer ``generations`` in this session: what a request read of them before its
    transaction began (``core.generations``). Read before any row, they are never newer than what the
    session reads, so a page kept under them is rebuilt after any later write."""
    db.info[_MEMO] = dict(generations)


def bump(db: Session, layer: str) -> None:
    """Marks ``layer`` changed, in the caller's transaction (every process sees it at commit)."""
    db.info.pop(_MEMO, None)
    done = db.execute(
        update(LayerVersion).where(LayerVersion.name == layer).values(version=LayerVersion.version + 1)
    ).rowcount
    if not done:
        try:
            with db.begin_nested():
                db.add(LayerVersion(name=layer, version=1))
        except IntegrityError:  # another transaction inserted it first: count ours on top
            db.execute(
                update(LayerVersion).where(LayerVersion.name == layer).values(version=LayerVersion.version + 1)
            )


def invalidate_on(layer: str, *event_types: type[DomainEvent]) -> None:
    """Each event of ``event_types`` bumps ``layer`` as it is published."""

    def changed(db: Session, _event: Any) -> None:
        bump(db, layer)

    for event_type in event_types:
        on_publish(event_type, name=f"layers.{layer}")(changed)


# A table whose model says ``__generation__ = True`` has a generation ``rows:<table>`` that every
# committed write of its rows moves on. The flag sits on the model so that every process that writes the
# table (server, workers, command line) bumps it: a registration made only where the page is served
# would be missed by a worker's writes.
_TOUCHED = "layercache.touched"


def rows_layer(table: str) -> str:
    return f"rows:{table}"


_flagged: dict[str, bool] = {}  # table → whether its model has ``__generation__``


def watched(table: str) -> bool:
    """Whether writes of ``table`` move ``rows_layer(table)`` (its model has ``__generation__``)."""
    flag = _flagged.get(table)
    if flag is None:  # once per table: a table is written only after its model was imported
        flag = any(m.local_table.name == table and getattr(m.class_, "__generation__", False)
                   for m in Base.registry.mappers)
        _flagged[table] = flag
    return flag


def _touch(session: Session, table: str | None) -> None:
    if table and watched(table):
        session.info.setdefault(_TOUCHED, set()).add(rows_layer(table))


@event.listens_for(Session, "before_flush")
def _seen_in_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in itertools.chain(session.new, session.dirty, session.deleted):
        if getattr(obj, "__generation__", False):
            _touch(session, obj.__tablename__)


@event.listens_for(Session, "do_orm_execute")
def _seen_in_statement(state: Any) -> None:
    # insert()/update()/delete() statements run through the session (bulk writes) are no flush.
    if state.is_insert or state.is_update or state.is_delete:
        _touch(state.session, getattr(getattr(state.statement, "table", None), "name", None))


@event.listens_for(Session, "before_commit")
def _bump_touched(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # objects still pending reach ``before_flush`` now, not after this hook
    # Sorted: two transactions bumping the same rows lock them in the same order (no deadlock).
    for layer in sorted(session.info.pop(_TOUCHED, ())):
        bump(session, layer)


@event.listens_for(Session, "after_rollback")
def _forget_touched(session: Session) -> None:
    session.info.pop(_TOUCHED, None)


@dataclass(frozen=True)
class Built:
    """A layer as sent: the JSON bytes, their ETag, and until when (POSIX seconds) they hold."""

    body: bytes
    etag: str
    version: Hashable  # a generation, or a tuple of them
    expires: float
    data: Any = None  # what ``build`` returned, for a caller that wants the value rather than JSON


def serialise(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


class LayerCache:
    """Layers of this process by (layer, viewer scope, parameters). One build at a time per key: fifty
    clients asking for a stale layer at once wait for one build instead of making fifty."""

    MAX_ENTRIES = 512  # scopes × parameters; a township officer's layer is not a leader's

    def __init__(self) -> None:
        # The platform's clock (``core.clock``), so that a test moving time past a warning's expiry sees
        # the layer rebuilt.
        self._clock = lambda: utcnow().timestamp()
        self._entries: dict[Hashable, Built] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._mutex = threading.Lock()
        self.builds = 0  # how many times a layer was built (tests and benchmarks read it)

    def clear(self) -> None:
        with self._mutex:
            self._entries.clear()

    def get(
        self,
        key: Hashable,
        *,
        current: Hashable,
        build: Callable[[], tuple[Any, float | None]],
        ttl_s: float | None = None,
        encode: Callable[[Any], bytes] | None = None,
    ) -> Built:
        """The entry of ``key`` at version ``current``, built when missing, older or expired.
        ``build() -> (data, seconds_valid or None)``: how long the data holds without an event (e.g.
        until the next warning in it expires); the shorter of that and ``ttl_s`` counts. ``encode`` turns
        the data into the bytes sent (default: JSON)."""
        entry = self._fresh(key, current)
        if entry is not None:
            return entry
        with self._mutex:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            entry = self._fresh(key, current)  # built by the one we waited for
            if entry is not None:
                return entry
            data, valid_s = build()
            limits = [s for s in (valid_s, ttl_s) if s is not None]
            body = (encode or serialise)(data)
            expires = self._clock() + (min(limits) if limits else float("inf"))
            entry = Built(body, etag_of(body), current, expires, data)
            self.builds += 1
            with self._mutex:
                if len(self._entries) >= self.MAX_ENTRIES and key not in self._entries:
                    oldest = next(iter(self._entries))  # the oldest inserted
                    self._entries.pop(oldest)
                    self._locks.pop(oldest, None)
                self._entries[key] = entry
            return entry

    def peek(self, key: Hashable, current: Hashable) -> Built | None:
        """The entry of ``key`` if it is at version ``current`` and not expired; never builds."""
        return self._fresh(key, current)

    def _fresh(self, key: Hashable, current: Hashable) -> Built | None:
        entry = self._entries.get(key)
        if entry is None or entry.version != current or self._clock() >= entry.expires:
            return None
        return entry


CACHE = LayerCache()


def scope_key(actor: Any) -> tuple[Any, ...]:
    """What a layer's content may depend on of its viewer: permissions come with the role, and rows are
    confined by region path and enterprise."""
    return (getattr(actor, "role", None), getattr(actor, "scope_path", None), getattr(actor, "enterprise_id", None))
