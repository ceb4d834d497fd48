"""统计指标 in the shell: its menu entry."""

from yingji.web.shell import NavEntry

MENU = (NavEntry("stats", "统计指标", "/stats", "规划指标（专栏1）、各项比率、规划实施跟踪与评估报告", order=110,
                 permission="stats.read"),)
