"""预案演练 in the shell: its menu entry (registry, filings, drills, training)."""

from yingji.web.shell import NavEntry

MENU = (NavEntry("plans", "预案演练", "/plans", "应急预案备案与修订、演练、培训", order=100),)
