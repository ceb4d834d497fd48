"""预案演练 in the shell: its menu entry (the pages are not built yet)."""

from yingji.web.shell import NavEntry

MENU = (NavEntry("plans", "预案演练", "/plans", "应急预案备案与修订、演练、培训", order=100),)
