"""监管执法 in the shell: its menu entry (enforceable items, plans, draws, cases, the untrustworthy list), the
mark of a listed enterprise wherever an enterprise appears, and the listed enterprises on the map."""

from yingji.enforcement.service import listed_enterprise_ids
from yingji.web.shell import EnterpriseFlag, MapLayer, NavEntry

MENU = (NavEntry("enforcement", "监管执法", "/enforcement",
                 "执法事项与检查表、年度计划、双随机抽查、案件与处罚、失信名单", order=40),)
ENTERPRISE_FLAGS = (EnterpriseFlag("严重失信主体", listed_enterprise_ids, href="/public/enforcement#listings"),)
MAP_LAYERS = (MapLayer("enforcement/map_layers.html", permission="enforcement.read"),)
