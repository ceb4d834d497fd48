"""监管执法 in the shell: its menu entry (the pages are not built yet)."""

from yingji.web.shell import NavEntry

MENU = (NavEntry("enforcement", "监管执法", "/enforcement", "检查计划、双随机抽查、案件与处罚、失信名单", order=40),)
