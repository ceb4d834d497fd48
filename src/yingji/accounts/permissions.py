"""What each role may do, as permission patterns ("registry.*" grants every registry permission).

The where (which region or enterprise) is checked separately against the user's scope; this table is
only the what. A capability adds its own grants in ``yingji/<capability>/permissions.py`` as
``GRANTS = {"duty_officer": {"risk.read", ...}}``; they are merged here on first use.
"""

from __future__ import annotations

import importlib
import importlib.util
from fnmatch import fnmatchcase
from functools import cache

from yingji import CAPABILITIES
from yingji.accounts.enums import Role

BASE_GRANTS: dict[str, set[str]] = {
    Role.admin: {"*"},
    # The audit log is read by admins and bureau leaders only: oversight, not daily work.
    Role.duty_officer: {"geo.read", "registry.read", "registry.write"},
    Role.leader: {"geo.read", "registry.read", "audit.read"},
    Role.liaison: {"geo.read", "registry.read"},
    Role.township_officer: {"geo.read", "registry.read", "registry.write"},
    Role.info_officer: {"geo.read", "registry.read"},
    Role.enterprise_manager: {"geo.read", "registry.read", "registry.enterprise.update_own"},
    Role.inspector: {"geo.read", "registry.read"},
}


@cache
def grants() -> dict[str, frozenset[str]]:
    merged = {role: set(perms) for role, perms in BASE_GRANTS.items()}
    for cap in CAPABILITIES:
        name = f"yingji.{cap}.permissions"
        if cap == "accounts" or importlib.util.find_spec(name) is None:
            continue
        for role, perms in getattr(importlib.import_module(name), "GRANTS", {}).items():
            merged.setdefault(role, set()).update(perms)
    return {role: frozenset(perms) for role, perms in merged.items()}


@cache
def role_can(role: str, permission: str) -> bool:
    # Memoised: the grants are fixed once merged, and every page asks this for each menu entry and card
    # (matching a role's ~40 patterns each time cost a dashboard 0.4 ms).
    return any(fnmatchcase(permission, pattern) for pattern in grants().get(role, ()))
