"""Delivery that loses nothing.

Publication writes the warning's coverage row and a ``warnings.published`` outbox message, nothing more:
the recipients are found once, by the worker that message wakes (``expand``), not in the publishing
request. The worker **streams** them: the few hundred targets that are not subscribers, then the
subscribers inside the area read ``recipients.STREAM_CHUNK`` at a time through a streaming cursor and
tested exactly on each chunk, so memory stays flat however many points the area holds. It first counts
them (a pass reading only phones and points: 8 bytes kept per phone) so that its first transaction can
record how many were found (``expected``); then it writes one ``Delivery`` row per recipient and
channel, ``CHUNK`` rows per transaction (one statement: ``delivery_rows``), and sends between chunks, so the first
recipients are warned while the later rows are still being written. With an area-broadcast channel
configured, the warning's area gets one more row (``area_broadcast``, see ``area_broadcast.py``).

The rows are this capability's outbox; ``sending.py`` claims, sends (in batches on a channel that takes
many recipients in one request) and records them. Never twice: (warning, channel, address) is unique; a
row is sent only by the worker holding its lease, with its own idempotency key. A worker killed midway
through the rows leaves the warning ``expanding``: the outbox runs the command again, the chunks written
before add nothing and the rows sent before are not sent again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

from yingji.core.clock import utcnow
from yingji.core.db import Database
from yingji.core.outbox import enqueue
from yingji.warnings.models import WarningCoverage, WarningMessage
from yingji.warnings.service import area_broadcast, recipients, tally
from yingji.warnings.service.area import Area, parse_area
from yingji.warnings.service.audience_deliveries import create_audience_deliveries
from yingji.warnings.service.delivery_rows import insert_rows as _insert_rows
from yingji.warnings.service.sending import (  # the worker's API, kept where its callers find it
    Claimed,
    Sender,
    attempts,
    claim,
    message_for,
    record_batch,
    record_one,
    resolve_channels,
    run,
    send_one,
)

__all__ = [
    "CHUNK", "Claimed", "Sender", "attempts", "claim", "create_audience_deliveries", "create_deliveries", "expand",
    "expand_now", "message_for", "record_batch", "record_one", "resolve_channels", "run", "send_one", "targets_of",
]

# Rows written per transaction (one multi-row insert): a few tens of milliseconds of SQLite's write lock.
CHUNK = 2000
# Sending between two chunks, in seconds (at least one claim): the rows already written start leaving at
# once, and writing the rest is only slowed a little. A channel taking batches sends a whole chunk in
# one or two requests; one sending a message per request sends what it can in the time.
SEND_BETWEEN_CHUNKS_S = 0.2
SEND_BATCH_BETWEEN_CHUNKS = 10


def targets_of(*, db: Session, warning: WarningMessage) -> list[recipients.Target]:
    """Everyone the warning's area reaches (reads only; a list: for the pages, not for the worker)."""
    area = parse_area(db=db, area=warning.area)
    return recipients.resolve(db=db, area=area, event_type=warning.event_type)


def create_deliveries(*, db: Session, warning: WarningMessage) -> None:
    """At publication, in the caller's transaction: the warning's coverage row (``expanding``, its
    recipients not found yet) and the ``warnings.published`` command, whose worker finds the recipients
    and writes their rows (``expand``). The publishing request does not search the recipients."""
    tally.start(db, warning_id=warning.id)
    enqueue(db, topic="warnings.published", payload={"warning_id": warning.id}, key=str(warning.id))


def _plan(db: Session, w: WarningMessage, area: Area, chans: dict[str, Any]) -> tuple[int, Iterator[list]]:
    """How many targets the warning has, and the targets streamed in lists of ``CHUNK`` (at least one
    list, empty when there is nobody)."""
    first = recipients.others(db=db, area=area)
    if area_broadcast.CHANNEL in chans:
        first.insert(0, area_broadcast.target(db=db, warning=w, area=area))
    taken = frozenset(t.address for t in first if t.channel == recipients.SUBSCRIBER_CHANNEL)
    expected = len(first) + recipients.count_subscribed(db=db, area=area, event_type=w.event_type, exclude=taken)
    size = CHUNK

    def chunks() -> Iterator[list]:
        buf = list(first)
        for part in recipients.subscribed_chunks(db=db, area=area, event_type=w.event_type):
            buf += [t for t in part if t.address not in taken] if taken else part
            while len(buf) >= size:
                yield buf[:size]
                buf = buf[size:]
        yield buf  # the last (maybe empty: one transaction all the same)

    return expected, chunks()


def _with_last(items: Iterator[list]) -> Iterator[tuple[list, bool]]:
    prev = next(items)
    for item in items:
        if not item:  # an empty tail after a full chunk: that full chunk was the last
            break
        yield prev, False
        prev = item
    yield prev, True


def expand(
    database: Database, warning_id: int, *, send: bool = False, channels: dict[str, Any] | None = None
) -> int:
    """Finds the recipients of a warning still ``expanding`` (streamed, in a read transaction held open
    meanwhile: no lock) and writes their delivery rows, ``CHUNK`` per transaction; the first of these
    transactions records how many were found (``expected``), the last marks the warning expanded. With
    ``send``, each chunk's rows are sent right after its commit, for ``SEND_BETWEEN_CHUNKS_S`` before the
    next chunk, so the first message leaves within a second or two of publication however many rows are
    to follow. A chunk written before (a worker that died midway) adds nothing; a row is sent once, by
    whoever holds its lease. Returns the rows added."""
    chans = resolve_channels(channels)
    added, now, error = 0, utcnow(), None
    with database.transaction(read=True) as rdb:
        cov = rdb.get(WarningCoverage, warning_id)
        if cov is None or not cov.expanding:
            return 0
        w = rdb.get(WarningMessage, warning_id)
        assert w is not None
        expected, chunks = _plan(rdb, w, parse_area(db=rdb, area=w.area), chans)
        # One sender for all the chunks: its recorder and the warning loaded once, not per chunk.
        sender = Sender(database, channels=chans, warning_id=warning_id, batch=SEND_BATCH_BETWEEN_CHUNKS)
        try:
            for k, (chunk, last) in enumerate(_with_last(chunks)):
                with database.transaction() as db:
                    added += _insert_rows(db, warning_id=warning_id, targets=chunk, now=now)
                    if k == 0:
                        tally.found(db, warning_id, expected=expected)
                    if last:
                        tally.expansion_done(db, warning_id)
                if send and not last:
                    sender.run(max_seconds=SEND_BETWEEN_CHUNKS_S, sweep=False)
        except BaseException as exc:  # raised again below, once the read is closed
            # The read transaction ends normally: it wrote nothing, and where the chunks' transactions
            # are nested in it (savepoints of one connection) their commits must stay.
            error = exc
        finally:
            chunks.close()
            try:
                sender.close()  # the last batch recorded
            except BaseException as exc:
                error = error or exc
    if error is not None:
        raise error
    return added


def expand_now(db: Session, warning_id: int) -> int:
    """``expand`` inside the caller's transaction (the demo seed, which commits once)."""
    w = db.get(WarningMessage, warning_id)
    assert w is not None
    expected, chunks = _plan(db, w, parse_area(db=db, area=w.area), resolve_channels())
    added = sum(_insert_rows(db, warning_id=warning_id, targets=chunk, now=utcnow()) for chunk in chunks)
    tally.found(db, warning_id, expected=expected)
    tally.expansion_done(db, warning_id)
    return added
