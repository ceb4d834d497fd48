"""The registry of rate providers: a capability declares the plan's rates it computes (``RATES`` in its
``shell.py``, registered with the rest of the shell) and the statistics capability gathers them on one page
without computing any of them again. Here in the shared kernel so that neither side imports the other: the
capability hands its providers in, statistics reads them out.

A provider computes with the acting user (the capability checks its own permission and scope); ``years``
says whether it can tell the value of a past year (its trend), otherwise only today's value is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RateValue:
    value: float | None  # a share, 0..1; None when nothing is on record (never shown as 0 %)
    numerator: float | None = None
    denominator: float | None = None
    unit: str = ""  # what is counted: "人", "处", "公顷", "户"
    link: str = ""  # the records behind the figure
    note: str = ""


@dataclass(frozen=True)
class RateProvider:
    code: str  # "<capability>.<rate>", named in the plan's list of rates (stats/data/rates.toml)
    label: str
    target: float | None  # a share, 0..1
    permission: str  # the capability's read permission: the rate is shown only to its holders
    compute: Callable[[Any, Any, int | None], RateValue]  # (db, actor, year or None for now)
    years: bool = False  # computes per year (a trend); else only the current value
    kind: str = "rate"  # "rate": a share with a target; "count": a number of things (a task's progress)
    capability: str = ""
    source: str = ""  # where the capability shows it
    extra: dict[str, Any] = field(default_factory=dict)


_BY_CAPABILITY: dict[str, tuple[RateProvider, ...]] = {}


def register(capability: str, providers: tuple[RateProvider, ...] | list[RateProvider]) -> None:
    """Registers (or replaces) a capability's providers."""
    _BY_CAPABILITY[capability] = tuple(
        p if p.capability else RateProvider(**{**p.__dict__, "capability": capability}) for p in providers)


def providers() -> dict[str, RateProvider]:
    return {p.code: p for group in _BY_CAPABILITY.values() for p in group}
