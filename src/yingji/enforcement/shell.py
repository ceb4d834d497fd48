"""监管执法 in the shell: its menu entry (enforceable items, plans, draws, cases, the untrustworthy list), the
mark of a listed enterprise wherever an enterprise appears, the listed enterprises on the map, and the plan's
rates it computes from its roster (专栏4.1 qualified staff, 专栏4.2 equipment fitted)."""

from yingji.core.rates import RateProvider, RateValue
from yingji.enforcement.service import listed_enterprise_ids, roster
from yingji.web.shell import EnterpriseFlag, MapLayer, NavEntry

MENU = (NavEntry("enforcement", "监管执法", "/enforcement",
                 "执法事项与检查表、年度计划、双随机抽查、案件与处罚、失信名单", order=40),)
ENTERPRISE_FLAGS = (EnterpriseFlag("严重失信主体", listed_enterprise_ids, href="/public/enforcement#listings"),)
MAP_LAYERS = (MapLayer("enforcement/map_layers.html", permission="enforcement.read"),)


def _qualified(db, user, year):
    staff, qualified, _ = roster.staff_counts(db=db, actor=user)
    return RateValue(qualified / staff if staff else None, qualified, staff, "人", "/enforcement/figures",
                     "在岗执法人员中具有相关专业学历、职业资格和实践经验的比例（执法人员名册）")


def _equipment(db, user, year):
    staff, _, equipped = roster.staff_counts(db=db, actor=user)
    return RateValue(equipped / staff if staff else None, equipped, staff, "人", "/enforcement/figures",
                     "在岗执法人员中执法装备按标准配备的比例（执法人员名册）")


RATES = (RateProvider("enforcement.qualified", "具有应急管理相关学历、职业资格和实践经验的执法人员比例", 0.8,
                      "enforcement.read", _qualified, source="/enforcement/figures"),
         RateProvider("enforcement.equipment_standard", "基层执法装备和应急器材规范配备率", 1.0, "enforcement.read",
                      _equipment, source="/enforcement/figures"),)
