"""All the plan's rates on one page, each gathered from the capability that computes it (``core.rates``:
a capability declares its providers, none is computed here). The plan's list (``data/rates.toml``) names
every rate it asks for; one no capability provides yet is shown as 未接入 with what is missing."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy.orm import Session

from yingji.core import rates as registry
from yingji.core.actor import Actor, require
from yingji.core.errors import DomainError
from yingji.stats.service.common import period_years


@cache
def plan_rates() -> list[dict[str, Any]]:
    data = tomllib.loads(resources.files("yingji.stats").joinpath("data", "rates.toml").read_text("utf-8"))
    return data["rate"]


@dataclass
class RateRow:
    code: str
    label: str
    section: str
    target: float | None
    state: str  # "ok" | "not_connected" | "forbidden" | "error"
    value: registry.RateValue | None = None
    trend: dict[int, float | None] = field(default_factory=dict)
    capability: str = ""
    source: str = ""
    missing: str = ""  # for 未接入: what is missing

    @property
    def met(self) -> bool | None:
        if self.value is None or self.value.value is None or self.target is None:
            return None
        return round(self.value.value * 1000) >= round(self.target * 1000)


def _row(db: Session, actor: Actor, code: str, label: str, section: str, target: float | None,
         missing: str, provider: registry.RateProvider | None) -> RateRow:
    if provider is None:
        return RateRow(code, label, section, target, "not_connected", missing=missing)
    target = provider.target if provider.target is not None else target
    row = RateRow(code, label or provider.label, section, target, "ok", capability=provider.capability,
                  source=provider.source)
    if not actor.can(provider.permission):
        row.state = "forbidden"
        return row
    try:
        row.value = provider.compute(db, actor, None)
        if provider.years:
            row.trend = {y: provider.compute(db, actor, y).value for y in period_years()}
    except DomainError as exc:
        row.state, row.missing = "error", exc.message
    return row


def gather(*, db: Session, actor: Actor, code: str | None = None) -> list[RateRow]:
    """Every rate of the plan's list, then any other rate a capability declares."""
    require(actor, "stats.read")
    found = registry.providers()
    out = []
    listed = set()
    for r in plan_rates():
        listed.add(r["code"])
        if code and r["code"] != code:
            continue
        out.append(_row(db, actor, r["code"], r["label"], r.get("section", ""), r.get("target"),
                        r.get("missing", ""), found.get(r["code"])))
    for c, p in found.items():
        if c not in listed and p.kind == "rate" and (not code or c == code):
            out.append(_row(db, actor, c, p.label, "其他", p.target, "", p))
    return out


def value_of(*, db: Session, actor: Actor, code: str) -> registry.RateValue | None:
    """A registered provider's current value (a rate or a count), None when none is registered or the actor
    may not read it."""
    p = registry.providers().get(code)
    if p is None or not actor.can(p.permission):
        return None
    try:
        return p.compute(db, actor, None)
    except DomainError:
        return None
