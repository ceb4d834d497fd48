"""What a capability shows in the shell: its menu entries, its dashboard cards, its layers on the 一张图 map
and its panels on a village's page. Part of the lower web kit: any capability may import it.

A capability declares them in its ``shell.py`` as module constants ``MENU``, ``CARDS``, ``MAP_LAYERS``,
``VILLAGE_PANELS`` and ``ENTERPRISE_FLAGS`` (marks shown wherever an enterprise appears; each optional);
the composition root (``app.create_app``) hands every such module to ``register``. The upper shell
(``web.pages``, ``web.nav``) reads only ``SHELL`` and so never imports a
capability by name — a contract in ``pyproject.toml`` holds it to that.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any, Literal

from yingji.core import rates


@cache
def is_built(capability: str) -> bool:
    """A capability counts as built once its package has a ``pages`` module."""
    if capability == "web":
        return True
    if importlib.util.find_spec(f"yingji.{capability}") is None:
        return False
    return importlib.util.find_spec(f"yingji.{capability}.pages") is not None


@dataclass(frozen=True)
class NavEntry:
    """One entry of the side navigation; entries are listed by ``order``."""

    capability: str
    label: str
    url: str
    description: str
    admin_only: bool = False
    # Shown only to those who hold it (the audit log: admins and leaders).
    permission: str = ""
    roles: tuple[str, ...] = ()  # only for these roles (empty: everyone)
    order: int = 1000

    @property
    def built(self) -> bool:
        return is_built(self.capability)


# ``data(request, db, user) -> dict`` computes a card's or a layer's context in the request; the template
# sees it as ``data``. Without it the template renders from the page's context alone (``user``, ...).
DataFn = Callable[[Any, Any, Any], dict[str, Any]]


@dataclass(frozen=True)
class Card:
    """A dashboard card: ``place="stats"`` puts it in the row of figures, ``"grid"`` among the cards.
    ``data`` may return ``{"charts": {"<id>": rows}}``: merged into the page's chart data (dashboard.js
    draws ``#chart-<id>``)."""

    template: str
    permission: str = ""  # shown only to holders; the data is not even computed for the others
    data: DataFn | None = None
    place: Literal["stats", "grid"] = "grid"
    order: int = 1000
    # The tables ``data`` reads, each with ``__generation__`` on its model: the dashboard is kept per
    # viewer until one of them is written (``web.pages``). A card with ``data`` and no ``reads`` makes
    # the dashboard render on every request.
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class MapLayer:
    """A template added to the 一张图 page: a ``<script type="application/json" class="map-layers">``
    declaration drawn by ``static/js/map-layers.js`` (or the map's own configuration)."""

    template: str
    permission: str = ""
    data: DataFn | None = None
    order: int = 1000


@dataclass(frozen=True)
class VillagePanel:
    """A section of a village's page (the 灾害信息员's home): ``data(db, user, village) -> dict``."""

    template: str
    data: Callable[[Any, Any, Any], dict[str, Any]]
    permission: str = ""
    order: int = 1000


@dataclass(frozen=True)
class EnterpriseFlag:
    """A mark shown wherever an enterprise appears (its record, its risk page, lists): ``ids(db)`` → the
    enterprises that carry it now; ``href`` where the mark links (``{id}`` is the enterprise)."""

    label: str
    ids: Callable[[Any], set[int]]
    href: str = ""
    order: int = 1000


@dataclass
class _Registration:
    menu: tuple[NavEntry, ...] = ()
    cards: tuple[Card, ...] = ()
    map_layers: tuple[MapLayer, ...] = ()
    village_panels: tuple[VillagePanel, ...] = ()
    enterprise_flags: tuple[EnterpriseFlag, ...] = ()


class Shell:
    """The registered declarations, per capability (registering a capability again replaces its own, so
    building the app twice does not list anything twice). Lists come out by ``order``, then in the order
    the capabilities were registered."""

    def __init__(self) -> None:
        self._by_capability: dict[str, _Registration] = {}

    def register(
        self,
        capability: str,
        *,
        menu: tuple[NavEntry, ...] = (),
        cards: tuple[Card, ...] = (),
        map_layers: tuple[MapLayer, ...] = (),
        village_panels: tuple[VillagePanel, ...] = (),
        enterprise_flags: tuple[EnterpriseFlag, ...] = (),
    ) -> None:
        self._by_capability[capability] = _Registration(tuple(menu), tuple(cards), tuple(map_layers),
                                                        tuple(village_panels), tuple(enterprise_flags))

    def _all(self, what: str) -> list:
        items = [x for reg in self._by_capability.values() for x in getattr(reg, what)]
        return sorted(items, key=lambda x: x.order)  # stable: registration order among equals

    def menu(self) -> list[NavEntry]:
        return self._all("menu")

    def cards(self) -> list[Card]:
        return self._all("cards")

    def map_layers(self) -> list[MapLayer]:
        return self._all("map_layers")

    def village_panels(self) -> list[VillagePanel]:
        return self._all("village_panels")

    def enterprise_flags(self) -> list[EnterpriseFlag]:
        return self._all("enterprise_flags")

    def entry_for(self, capability: str) -> NavEntry | None:
        return next((e for e in self.menu() if e.capability == capability), None)


SHELL = Shell()


def register(capability: str, module: ModuleType) -> None:
    """Registers a capability's ``shell`` module (its ``MENU``, ``CARDS``, ``MAP_LAYERS``,
    ``VILLAGE_PANELS``, ``ENTERPRISE_FLAGS``) and the rates it computes (``RATES``, kept in ``core.rates``)."""
    SHELL.register(
        capability,
        menu=getattr(module, "MENU", ()),
        cards=getattr(module, "CARDS", ()),
        map_layers=getattr(module, "MAP_LAYERS", ()),
        village_panels=getattr(module, "VILLAGE_PANELS", ()),
        enterprise_flags=getattr(module, "ENTERPRISE_FLAGS", ()),
    )
    rates.register(capability, getattr(module, "RATES", ()))


class MenuView:
    """The navigation as the templates iterate it (``nav``): always the current registrations."""

    def __iter__(self) -> Iterator[NavEntry]:
        return iter(SHELL.menu())


def visible(user: Any, permission: str) -> bool:
    return not permission or (user is not None and user.can(permission))


def shown(request: Any, db: Any, user: Any, items: list) -> list[tuple[Any, dict[str, Any]]]:
    """The registered items (cards, map layers) the user may see, each with its data; a data function
    shared by two items (a figure and its chart) runs once. The 一张图 map and any page that embeds the
    map with its layers (an incident's command workspace) use this one."""
    computed: dict[Any, dict[str, Any]] = {}
    out = []
    for item in items:
        if not visible(user, item.permission):
            continue
        if item.data is not None and item.data not in computed:
            computed[item.data] = item.data(request, db, user)
        out.append((item, computed.get(item.data, {})))
    return out


def flags_of(db: Any, enterprise_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """The registered marks (label, link) each of these enterprises carries now."""
    out: dict[int, list[tuple[str, str]]] = {i: [] for i in enterprise_ids}
    for flag in SHELL.enterprise_flags():
        marked = flag.ids(db)
        for i in enterprise_ids:
            if i in marked:
                out[i].append((flag.label, flag.href.format(id=i)))
    return out
