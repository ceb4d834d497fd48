"""指挥调度 in the shell: its menu entry (the pages are not built yet)."""

from yingji.web.shell import NavEntry

MENU = (NavEntry("incidents", "指挥调度", "/incidents", "事件接报、分级响应、指挥调度、灾情报告", order=90),)
