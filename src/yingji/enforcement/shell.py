"""监管执法 in the shell: its menu entry (enforceable items, plans, draws, cases, the untrustworthy list), the
mark of a listed enterprise wherever an enterprise appears, the listed enterprises on the map, and the plan's
rate it computes (专栏4.2 equipment fitted, from its roster)."""

from yingji.core.rates import RateProvider, RateValue
from yingji.enforcement.service import listed_enterprise_ids
from yingji.web.shell import EnterpriseFlag, MapLayer, NavEntry

MENU = (NavEntry("enforcement", "监管执法", "/enforcement",
                 "执法事项与检查表、年度计划、双随机抽查、案件与处罚、失信名单", order=40),)
ENTERPRISE_FLAGS = (EnterpriseFlag("严重失信主体", listed_enterprise_ids, href="/public/enforcement#listings"),)
MAP_LAYERS = (MapLayer("enforcement/map_layers.html", permission="enforcement.read"),)


def _equipment(db, user, year):
    from yingji.enforcement.service import figures

    f = figures.figures(db=db, actor=user)
    return RateValue(f.equipment_rate, f.equipped, f.staff, "人", "/enforcement/figures",
                     "在岗执法人员中执法装备按标准配备的比例（执法人员名册）")


RATES = (RateProvider("enforcement.equipment_standard", "基层执法装备和应急器材规范配备率", 1.0, "enforcement.read",
                      _equipment, source="/enforcement/figures"),)
