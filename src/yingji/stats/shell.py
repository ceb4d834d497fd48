"""统计指标 in the shell: its menu entry (the pages are not built yet)."""

from yingji.web.shell import NavEntry

MENU = (NavEntry("stats", "统计指标", "/stats", "规划指标（专栏1）与实施跟踪", order=110),)
