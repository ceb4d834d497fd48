"""Domain events: facts one capability publishes and any number of others react to.

A capability declares its facts in its own ``events.py`` as frozen dataclasses deriving from
``DomainEvent``, and publishes them with ``publish(db, SomethingHappened(...))`` in the transaction that
makes the change. Another capability reacts with::

    @subscribe(AlarmRaised)
    def open_warning_draft(db: Session, event: AlarmRaised) -> None: ...

Delivery rides on the outbox (one mechanism for every side effect): ``publish`` writes one outbox row per
subscriber, topic ``event:<EventType>``, keyed by event id and subscriber. So each subscriber has its own
delivery state (attempts, last error, done): one that fails is retried on its own and neither blocks nor
repeats the others. A subscriber runs in the outbox's transaction together with a ``processed_events``
row (event id, subscriber): a redelivered event finds that row and is skipped, so subscribers are
idempotent by event id without bookkeeping of their own.

Subscribers are registered at import (the composition root imports every capability's ``subscribers``
module); an event reaches those registered when it is published.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import String
from sqlalchemy.orm import Mapped, Session, mapped_column

from yingji.core import outbox
from yingji.core.clock import utcnow
from yingji.core.db import Base, UTCDateTime

TOPIC_PREFIX = "event:"
E = TypeVar("E", bound="DomainEvent")
Subscriber = Callable[[Session, Any], None]

_types: dict[str, type[DomainEvent]] = {}
_subscribers: dict[str, dict[str, Subscriber]] = {}
_on_publish: dict[str, dict[str, Subscriber]] = {}


class DomainEvent:
    """Base of every domain event. Subclasses are ``@dataclass(frozen=True)`` with JSON-friendly fields
    (str, int, float, bool, None, datetime, date, str enums); their class name is the event type."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        existing = _types.get(cls.__name__)
        if existing is not None and existing.__module__ != cls.__module__:
            raise ValueError(f"event type {cls.__name__} is declared twice: {existing.__module__}, {cls.__module__}")
        _types[cls.__name__] = cls


class ProcessedEvent(Base):
    """That a subscriber has handled an event: written in the subscriber's own transaction."""

    __tablename__ = "processed_events"
    __audit__ = False

    event_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    subscriber: Mapped[str] = mapped_column(String(120), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime)


def topic_of(event_type: type[DomainEvent] | str) -> str:
    return TOPIC_PREFIX + (event_type if isinstance(event_type, str) else event_type.__name__)


def _capability(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "yingji" else module


def subscribe(event_type: type[E], *, name: str | None = None) -> Callable[[Callable[[Session, E], None]], Any]:
    """Registers ``fn(db, event)`` for every event of ``event_type``. ``name`` (default
    ``<capability>.<function>``) identifies the subscriber's delivery rows, so keep it stable."""
    if not (isinstance(event_type, type) and issubclass(event_type, DomainEvent)):
        raise TypeError(f"{event_type!r} is not a DomainEvent")

    def register(fn: Callable[[Session, E], None]) -> Callable[[Session, E], None]:
        sub = name or f"{_capability(fn.__module__)}.{fn.__name__}"
        subs = _subscribers.setdefault(event_type.__name__, {})
        old = subs.get(sub)
        if old is not None and (old.__module__, old.__qualname__) != (fn.__module__, fn.__qualname__):
            raise ValueError(f"subscriber {sub!r} of {event_type.__name__} is registered twice")
        subs[sub] = fn
        outbox.handler(topic_of(event_type))(deliver)  # one dispatcher per event type
        return fn

    return register


def on_publish(event_type: type[E], *, name: str) -> Callable[[Callable[[Session, E], None]], Any]:
    """Registers ``fn(db, event)`` to run inside ``publish``, in the publisher's own transaction, before
    any subscriber. For what must change atomically with the fact and cannot wait for the outbox (a map
    layer's cache generation, ``core.layercache``); keep it to a write of a row or two."""

    def register(fn: Callable[[Session, E], None]) -> Callable[[Session, E], None]:
        _on_publish.setdefault(event_type.__name__, {})[name] = fn
        return fn

    return register


def _encode(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


def encode(event: DomainEvent) -> dict[str, Any]:
    return {f.name: _encode(getattr(event, f.name)) for f in dataclasses.fields(event)}  # type: ignore[arg-type]


def _decode(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        for arg in typing.get_args(tp):
            if arg is not type(None):
                return _decode(arg, value)
    if tp is datetime:
        return datetime.fromisoformat(value)
    if tp is date:
        return date.fromisoformat(value)
    if typing.get_origin(tp) is tuple:
        return tuple(value)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(value)
    return value


def decode(event_type: type[E], data: dict[str, Any]) -> E:
    hints = typing.get_type_hints(event_type)
    return event_type(**{f.name: _decode(hints[f.name], data[f.name]) for f in dataclasses.fields(event_type)})  # type: ignore[arg-type]


def publish(db: Session, event: DomainEvent, *, event_id: str | None = None) -> str:
    """Writes ``event`` to the outbox in the caller's transaction, one row per subscriber; returns its id.
    Pass ``event_id`` to make publishing the same fact twice a no-op (the rows are keyed by it)."""
    if not dataclasses.is_dataclass(event) or not isinstance(event, DomainEvent):
        raise TypeError(f"{event!r} is not a DomainEvent dataclass")
    name = type(event).__name__
    event_id = event_id or uuid.uuid4().hex
    data = encode(event)
    for key in sorted(_on_publish.get(name, {})):
        _on_publish[name][key](db, event)
    for sub in sorted(_subscribers.get(name, {})):
        outbox.enqueue(
            db,
            topic=topic_of(name),
            key=f"{event_id}:{sub}",
            payload={"event": name, "event_id": event_id, "subscriber": sub, "data": data},
        )
    return event_id


def deliver(db: Session, msg: outbox.OutboxMessage) -> None:
    """The outbox handler of every ``event:*`` topic: runs one subscriber once per event id."""
    p = msg.payload
    fn = _subscribers.get(p["event"], {}).get(p["subscriber"])
    if fn is None:
        raise LookupError(f"no subscriber {p['subscriber']!r} for {p['event']}")
    if db.get(ProcessedEvent, (p["event_id"], p["subscriber"])) is not None:
        return
    fn(db, decode(_types[p["event"]], p["data"]))
    db.add(ProcessedEvent(event_id=p["event_id"], subscriber=p["subscriber"], processed_at=utcnow()))
    db.flush()


@dataclass(frozen=True)
class EventInfo:
    name: str
    publisher: str
    doc: str
    fields: tuple[str, ...]
    subscribers: tuple[str, ...]


def catalogue() -> list[EventInfo]:
    """Every declared event type with its publisher (the capability declaring it) and its subscribers."""
    out = []
    for name, cls in sorted(_types.items(), key=lambda kv: (_capability(kv[1].__module__), kv[0])):
        if not dataclasses.is_dataclass(cls):
            continue
        out.append(
            EventInfo(
                name=name,
                publisher=_capability(cls.__module__),
                doc=(cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else "",
                fields=tuple(f.name for f in dataclasses.fields(cls)),
                subscribers=tuple(sorted(_subscribers.get(name, {}))),
            )
        )
    return out


def event_type(name: str) -> type[DomainEvent]:
    return _types[name]
