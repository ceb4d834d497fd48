"""Incidents in the shell: its menu entries, the duty room (值班值守) and incident reports (事件接报)."""

from yingji.web.shell import NavEntry

MENU = (
    NavEntry("incidents", "值班值守", "/duty", "当前值班、值班表、交接班、告警建议", order=88),
    NavEntry("incidents", "事件接报", "/incidents", "事件接报、分级、报告时限、伤亡变化", order=90),
    NavEntry("incidents", "情景推演", "/drills", "演练情景按真实流程推演，逐步计时评估", order=91,
             permission="incidents.drill.read"),
)
