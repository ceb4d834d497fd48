"""The one clock. Nothing reads the wall clock directly: tests swap it with ``use_clock``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def _wall() -> datetime:
    return datetime.now(UTC)


_clock: Callable[[], datetime] = _wall


def utcnow() -> datetime:
    return _clock()


def set_clock(clock: Callable[[], datetime]) -> None:
    global _clock
    _clock = clock


@contextmanager
def use_clock(clock: Callable[[], datetime]) -> Iterator[None]:
    previous = _clock
    set_clock(clock)
    try:
        yield
    finally:
        set_clock(previous)


def to_local(value: datetime | None) -> datetime | None:
    """UTC (stored) → Asia/Shanghai (shown)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TZ)
