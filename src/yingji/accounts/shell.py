"""用户管理 in the shell: its menu entries (users, the audit log) and, for administrators, the dashboard's
user figure and chart by role."""

from __future__ import annotations

from typing import Any

from yingji.accounts import service
from yingji.accounts.service import ROLE_LABELS
from yingji.web.shell import Card, NavEntry


def _roles(request, db, user) -> dict[str, Any]:
    roles = service.counts_by_role(db=db)
    return {
        "users": sum(roles.values()),
        "charts": {"roles": [{"name": ROLE_LABELS.get(k, k), "value": v} for k, v in roles.items()]},
    }


MENU = (
    NavEntry("accounts", "用户管理", "/accounts/users", "用户、角色与权限范围", admin_only=True, order=160),
    NavEntry(
        "accounts", "审计日志", "/audit", "每一次新增、修改、删除及哈希链校验", permission="audit.read", order=170
    ),
)
CARDS = (
    Card("accounts/dashboard_stats.html", permission="accounts.manage", data=_roles, place="stats", order=30,
         reads=("users",)),
    Card("accounts/dashboard_chart.html", permission="accounts.manage", data=_roles, order=30, reads=("users",)),
)
