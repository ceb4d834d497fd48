"""The kinds of natural-hazard point as data (``data/hazard_kinds.toml``): category, label, whether the
险情 grade applies, and the extra attributes each kind keeps."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class HazardKind:
    key: str
    category: str
    label: str
    graded: bool
    attributes: dict[str, str]


@cache
def _data() -> dict:
    return tomllib.loads(resources.files("yingji.natural").joinpath("data", "hazard_kinds.toml").read_text("utf-8"))


def categories() -> dict[str, str]:
    return dict(_data()["category"])


@cache
def kinds() -> dict[str, HazardKind]:
    return {k: HazardKind(k, v["category"], v["label"], bool(v["graded"]), dict(v.get("attributes", {})))
            for k, v in _data()["kind"].items()}


def kind_labels() -> dict[str, str]:
    return {k.key: k.label for k in kinds().values()}
