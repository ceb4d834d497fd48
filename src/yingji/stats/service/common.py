"""Shared by the statistics use cases: the plan's period, the current year, the acting user's name."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from yingji.core.actor import Actor
from yingji.core.clock import to_local, utcnow


@cache
def plan_data() -> dict[str, Any]:
    return tomllib.loads(resources.files("yingji.stats").joinpath("data", "indicators.toml").read_text("utf-8"))


def period() -> tuple[int, int]:
    start, end = plan_data()["period"]
    return int(start), int(end)


def this_year() -> int:
    return to_local(utcnow()).year


def period_years(until: int | None = None) -> list[int]:
    """The plan's years up to ``until`` (default: this year), never past the plan's end."""
    start, end = period()
    last = min(end, until if until is not None else this_year())
    return list(range(start, last + 1))


def actor_name(actor: Actor) -> str:
    if actor.role == "system":
        return "系统"
    return getattr(actor, "display_name", "") or actor.username
