"""The shell's own navigation entries. Every capability brings its own (``<capability>/shell.py``,
``MENU``), built or not: a capability without ``pages.py`` is listed with a page that says so plainly.
The composition root registers these together with the capabilities' (``web.shell``); ``order`` places
each entry among the others (the capabilities' entries sit between 30 and 170)."""

from __future__ import annotations

from yingji.web.shell import SHELL, MenuView, NavEntry

MENU: tuple[NavEntry, ...] = (
    NavEntry("web", "首页", "/", "值班概览", order=10),
    NavEntry("web", "一张图", "/map", "全区地图：区划、风险、监测、资源", order=20),
    NavEntry("web", "工作日日历", "/settings/calendar", "法定期限使用的工作日、节假日与调休", order=150),
)

# The navigation as registered (iterable; the templates' ``nav``).
NAV = MenuView()


def entry_for(capability: str) -> NavEntry | None:
    return SHELL.entry_for(capability)
