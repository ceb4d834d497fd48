"""The navigation: every capability of DESIGN.md, built or not. A capability counts as built once its
package has a ``pages.py``; until then its entry leads to a page that says so plainly."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class NavEntry:
    capability: str
    label: str
    url: str
    description: str
    admin_only: bool = False
    # Shown only to those who hold it (the audit log: admins and leaders).
    permission: str = ""
    roles: tuple[str, ...] = ()  # only for these roles (empty: everyone)

    @property
    def built(self) -> bool:
        return _has_pages(self.capability)


@cache
def _has_pages(capability: str) -> bool:
    if capability in ("web",):
        return True
    if importlib.util.find_spec(f"yingji.{capability}") is None:
        return False
    return importlib.util.find_spec(f"yingji.{capability}.pages") is not None


NAV: tuple[NavEntry, ...] = (
    NavEntry("web", "我的村", "/officer", "本村预警、隐患、最近的避难场所和队伍", roles=("info_officer",)),
    NavEntry("web", "首页", "/", "值班概览"),
    NavEntry("web", "一张图", "/map", "全区地图：区划、风险、监测、资源"),
    NavEntry("risk", "风险防控", "/risk", "风险分级、重大危险源、隐患排查治理（双重预防）"),
    NavEntry("enforcement", "监管执法", "/enforcement", "检查计划、双随机抽查、案件与处罚、失信名单"),
    NavEntry("monitoring", "监测预警", "/monitoring", "监测站点与传感器、告警规则、告警处置"),
    NavEntry("warnings", "预警发布", "/warnings", "预警信息（CAP 1.2）审核、分区域多渠道发布、覆盖率"),
    NavEntry("resources", "应急资源", "/resources", "救援队伍、专家、物资储备库、避难场所"),
    NavEntry("natural", "自然灾害", "/natural", "地质灾害隐患点、山洪与内涝、森林火险区、群测群防、风险普查与区划"),
    NavEntry("incidents", "值班值守", "/duty", "当前值班、值班表、交接班、告警建议"),
    NavEntry("incidents", "事件接报", "/incidents", "事件接报、分级、报告时限、伤亡变化"),
    NavEntry("plans", "预案演练", "/plans", "应急预案备案与修订、演练、培训"),
    NavEntry("stats", "统计指标", "/stats", "规划指标（专栏1）与实施跟踪"),
    NavEntry("registry", "基础数据", "/registry/enterprises", "部门、企业、人员"),
    NavEntry("geo", "行政区划", "/geo/regions", "区、镇（街道）、村（社区）、网格"),
    NavEntry("channels", "发布渠道", "/channels", "短信、邮件、推送接口、农村大喇叭"),
    NavEntry("web", "工作日日历", "/settings/calendar", "法定期限使用的工作日、节假日与调休"),
    NavEntry("accounts", "用户管理", "/accounts/users", "用户、角色与权限范围", admin_only=True),
    NavEntry("accounts", "审计日志", "/audit", "每一次新增、修改、删除及哈希链校验", permission="audit.read"),
)


def entry_for(capability: str) -> NavEntry | None:
    return next((e for e in NAV if e.capability == capability), None)
