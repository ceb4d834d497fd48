"""Minimum needs of affected people (impact estimate): a per-person table (``data/relief_needs.toml``, or the
county's own through ``YINGJI_INCIDENTS_RELIEF_NEEDS``) and a pure computation of the needs of a number of
people for a number of days against the stock within reach, with the shortfall in stock units."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

from yingji.core.errors import ErrorDetail, ValidationFailed

PER = {"day": "每人每日", "once": "每人一次"}


@dataclass(frozen=True)
class NeedItem:
    key: str
    label: str
    per_person: Decimal
    unit: str
    per: str  # day | once
    material: str  # name in the resources catalogue, "" when not stocked as such
    unit_per_stock: Decimal
    source: str


def parse_table(text: str, *, name: str = "relief_needs") -> list[NeedItem]:
    """The table's rows, or one error naming every bad cell (``<table>.item[i].<field>``)."""
    try:
        rows = tomllib.loads(text).get("item", [])
    except tomllib.TOMLDecodeError as exc:
        raise ValidationFailed(f"{name}: 不是有效的 TOML：{exc}", [ErrorDetail(name, str(exc))]) from None
    problems: list[ErrorDetail] = []
    items: list[NeedItem] = []
    for i, row in enumerate(rows):
        where = f"{name}.item[{i}]"
        numbers: dict[str, Decimal] = {}
        for key in ("per_person", "unit_per_stock"):
            try:
                numbers[key] = Decimal(str(row.get(key, "")))
                if not numbers[key].is_finite() or numbers[key] <= 0:
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(ErrorDetail(f"{where}.{key}", "须为正数"))
        if row.get("per") not in PER:
            problems.append(ErrorDetail(f"{where}.per", "须为 day 或 once"))
        for key in ("key", "label", "unit", "source"):
            if not str(row.get(key, "")).strip():
                problems.append(ErrorDetail(f"{where}.{key}", "不能为空"))
        if len(numbers) == 2 and row.get("per") in PER:
            items.append(NeedItem(str(row["key"]), str(row["label"]), numbers["per_person"], str(row["unit"]),
                                  row["per"], str(row.get("material", "")), numbers["unit_per_stock"],
                                  str(row["source"])))
    if problems:
        raise ValidationFailed(f"{name}: 物资需求表有误", problems)
    return items


def load_table(path: str = "") -> list[NeedItem]:
    if path:
        return parse_table(Path(path).read_text("utf-8"), name=Path(path).stem)
    return parse_table(resources.files("yingji.incidents").joinpath("data", "relief_needs.toml").read_text("utf-8"))


@dataclass(frozen=True)
class Need:
    item: NeedItem
    quantity: Decimal  # in the item's unit, for all the people (and days, for daily needs)
    stock_units: int  # the same in units of the stocked material, rounded up
    available: Decimal | None  # stock within reach (stock units); None: not stocked as such
    shortfall: int  # stock units still missing (all of it when nothing is stocked)


def needs(items: list[NeedItem], *, people: int, days: int,
          available: dict[str, Decimal | None]) -> list[Need]:
    """Needs of ``people`` for ``days`` (daily items × days; once items once) against the stock within
    reach per material name (``available[material]``; a missing name or ``None`` counts as nothing)."""
    answer = []
    for item in items:
        quantity = item.per_person * people * (days if item.per == "day" else 1)
        units = math.ceil(quantity / item.unit_per_stock)
        stock = available.get(item.material) if item.material else None
        have = stock if stock is not None else Decimal(0)
        answer.append(Need(item, quantity, units, stock, max(0, math.ceil(units - have))))
    return answer
