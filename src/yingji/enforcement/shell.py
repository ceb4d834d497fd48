"""监管执法 in the shell: its menu entry (enforceable items, draws, cases)."""

from yingji.web.shell import NavEntry

MENU = (NavEntry("enforcement", "监管执法", "/enforcement", "执法事项与检查表、双随机抽查、案件与处罚", order=40),)
