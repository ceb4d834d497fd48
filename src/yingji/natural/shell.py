"""自然灾害 in the shell: its menu entry (the pages are not built yet)."""

from yingji.web.shell import NavEntry

MENU = (
    NavEntry("natural", "自然灾害", "/natural", "地质灾害隐患点、山洪与内涝、森林火险区、群测群防、风险普查与区划",
             order=80),
)
