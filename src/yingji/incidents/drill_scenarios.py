"""Drill scenarios (情景) as data: one TOML file per scenario under ``data/drill_scenarios/``, and a
district's own beside them (``YINGJI_INCIDENTS_DRILL_SCENARIOS``). A scenario names its place, its test
audience (the only recipients of its warning) and its steps, each of one kind:

- ``readings``: drill sensors (kind, offset from the place, values every ``every_minutes`` ending when the
  step runs) and optionally threshold rules of the scenario's own for them;
- ``warning``: the drill warning to draft and submit; ``sign_warning``: its sign-off and publication;
- ``incident``: the drill incident to open (kind, counts, description); ``dispatch``: the nearest team.

Every step but the first may carry a target: ``target_minutes`` from the finish of step ``from`` (a step
kind, or ``start``), with its ``basis``; a dispatch also an ``arrival_minutes`` target. A file with an error is
refused with every problem named (``<file>.steps[2].kind``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from yingji.incidents.settings import settings

KINDS = ("readings", "warning", "sign_warning", "incident", "dispatch")
LABELS = {"readings": "监测读数与告警", "warning": "起草预警", "sign_warning": "签发发布预警",
          "incident": "接报立事件", "dispatch": "调度"}


class ScenarioError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Step:
    kind: str
    name: str
    target_minutes: float | None = None
    since: str = "start"  # a step kind, or "start"
    basis: str = ""
    spec: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    code: str
    title: str
    summary: str
    plan_kind: str
    place: dict[str, Any]
    audience: list[dict[str, str]]
    steps: list[Step]


def parse(name: str, data: dict[str, Any]) -> Scenario:
    problems: list[str] = []
    for key in ("code", "title"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(f"{name}.{key}")
    place = data.get("place")
    if not isinstance(place, dict) or not (place.get("region_code") or place.get("major_hazard")):
        problems.append(f"{name}.place")
    audience = data.get("audience") or []
    if not audience or any(not str(m.get("phone", "")).strip() for m in audience):
        problems.append(f"{name}.audience")
    steps: list[Step] = []
    seen: list[str] = ["start"]
    for i, raw in enumerate(data.get("steps") or []):
        where = f"{name}.steps[{i}]"
        kind = raw.get("kind")
        if kind not in KINDS:
            problems.append(f"{where}.kind")
            continue
        since = raw.get("from", "start")
        if since not in seen:
            problems.append(f"{where}.from")
        target = raw.get("target_minutes")
        if target is not None and (not isinstance(target, int | float) or target <= 0):
            problems.append(f"{where}.target_minutes")
        if kind == "readings":
            sensors = raw.get("sensors") or []
            if not sensors:
                problems.append(f"{where}.sensors")
            for j, s in enumerate(sensors):
                if not s.get("code") or not s.get("kind") or not s.get("values"):
                    problems.append(f"{where}.sensors[{j}]")
            if not isinstance(raw.get("every_minutes", 5), int) or raw.get("every_minutes", 5) <= 0:
                problems.append(f"{where}.every_minutes")
        if kind == "warning":
            for key in ("event_type", "level", "headline", "instruction"):
                if not raw.get(key):
                    problems.append(f"{where}.{key}")
        if kind == "sign_warning" and "warning" not in seen:
            problems.append(f"{where}.kind")
        if kind == "incident" and not raw.get("incident_kind"):
            problems.append(f"{where}.incident_kind")
        if kind == "dispatch" and "incident" not in seen:
            problems.append(f"{where}.kind")
        seen.append(kind)
        spec = {k: v for k, v in raw.items() if k not in ("kind", "name", "target_minutes", "from", "basis")}
        steps.append(Step(kind, str(raw.get("name") or LABELS[kind]), float(target) if target else None,
                          since, str(raw.get("basis", "")), spec))
    if not steps:
        problems.append(f"{name}.steps")
    if problems:
        raise ScenarioError(problems)
    return Scenario(data["code"], data["title"], str(data.get("summary", "")), str(data.get("plan_kind", "")),
                    dict(place), [{"name": str(m.get("name", "")), "phone": str(m["phone"])} for m in audience],
                    steps)


def _files() -> dict[str, tuple[str, str]]:
    shipped = resources.files("yingji.incidents").joinpath("data", "drill_scenarios")
    out = {p.name: (p.name, p.read_text("utf-8")) for p in shipped.iterdir() if p.name.endswith(".toml")}
    own = settings().drill_scenarios
    if own:
        for p in sorted(Path(own).glob("*.toml")):
            out[p.name] = (str(p), p.read_text("utf-8"))
    return out


@cache
def _load(key: tuple[str, ...]) -> dict[str, Scenario]:
    scenarios: dict[str, Scenario] = {}
    files = _files()
    for name, text in (files[k] for k in key):
        s = parse(name, tomllib.loads(text))
        scenarios[s.code] = s
    return scenarios


def scenarios() -> dict[str, Scenario]:
    """Every scenario by code: the shipped ones and the district's own."""
    return _load(tuple(sorted(_files())))
