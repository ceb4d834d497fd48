"""Who is acting, as every service sees it. ``accounts.User`` satisfies this protocol; the CLI, the seed
and scheduled jobs act as ``SYSTEM``. Services check permissions with these helpers, so the API, the
pages and the CLI share one set of rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy import false, or_, true

from yingji.core.errors import NotFound, PermissionDenied

T = TypeVar("T")


class Actor(Protocol):
    id: int | None
    username: str
    role: str
    # Region path prefix the actor is confined to ("450206000000/450206100000"); None: whole district.
    scope_path: str | None
    enterprise_id: int | None

    def can(self, permission: str) -> bool: ...


@dataclass(frozen=True)
class SystemActor:
    id: int | None = None
    username: str = "system"
    role: str = "system"
    scope_path: str | None = None
    enterprise_id: int | None = None

    def can(self, permission: str) -> bool:
        return True


SYSTEM = SystemActor()


def require(actor: Actor, permission: str) -> None:
    if not actor.can(permission):
        raise PermissionDenied("没有执行此操作的权限")


def region_in_scope(actor: Actor, path: str | None) -> bool:
    """True when a record at region ``path`` lies inside the actor's area."""
    if actor.scope_path is None:
        return actor.enterprise_id is None
    if path is None:
        return False
    return path == actor.scope_path or path.startswith(actor.scope_path + "/")


def ensure_region_in_scope(actor: Actor, path: str | None, *, what: str = "记录") -> None:
    """Out-of-scope records answer 404 so that their existence does not leak."""
    if not region_in_scope(actor, path):
        raise NotFound(f"{what}不存在")


def ensure_enterprise_in_scope(actor: Actor, enterprise_id: int, region_path: str | None) -> None:
    if actor.enterprise_id is not None:
        if actor.enterprise_id != enterprise_id:
            raise NotFound("企业不存在")
        return
    ensure_region_in_scope(actor, region_path, what="企业")


def path_within(column: Any, path: str) -> Any:
    """SQL condition: the region path in ``column`` is ``path`` or lies below it."""
    return or_(column == path, column.startswith(path + "/", autoescape=True))


def scope_condition(actor: Actor, region_path_column: Any, enterprise_id_column: Any | None = None) -> Any:
    """SQL condition restricting a query to the actor's area (or enterprise). ``true()`` when unrestricted.
    An enterprise-scoped actor sees nothing of a table without an enterprise column."""
    if actor.enterprise_id is not None:
        if enterprise_id_column is None:
            return false()
        return enterprise_id_column == actor.enterprise_id
    if actor.scope_path is None:
        return true()
    return path_within(region_path_column, actor.scope_path)


def in_scope(actor: Actor, *, region_path: str | None, enterprise_id: int | None) -> bool:
    """For a record that may belong to an enterprise (or only to a place): an enterprise's record is
    visible to that enterprise and to whoever covers its place; any other record only by place."""
    if enterprise_id is not None and actor.enterprise_id is not None:
        return actor.enterprise_id == enterprise_id
    return region_in_scope(actor, region_path)


def ensure_in_scope(actor: Actor, *, region_path: str | None, enterprise_id: int | None, what: str = "记录") -> None:
    if not in_scope(actor, region_path=region_path, enterprise_id=enterprise_id):
        raise NotFound(f"{what}不存在")


def load_in_scope(
    db: Any,
    actor: Actor,
    model: type[T],
    record_id: Any,
    *,
    what: str,
    permission: str | None = None,
    visible: Callable[[Actor, T], bool] | None = None,
) -> T:
    """The one load-or-404: the ``model`` row with this id, after ``permission`` (403 without it); 404 when
    it is missing or outside the actor's area, alike, so that existence does not leak. The area is the
    row's ``enterprise_id`` / ``region_path`` (``in_scope``) unless the capability gives its own rule as
    ``visible(actor, row)`` (a township reading the district's resources, a warning's audience)."""
    if permission is not None:
        require(actor, permission)
    row = db.get(model, record_id) if record_id is not None else None
    if row is None:
        raise NotFound(f"{what}不存在")
    if visible is not None:
        ok = visible(actor, row)
    else:
        path, enterprise = getattr(row, "region_path", None), getattr(row, "enterprise_id", None)
        ok = in_scope(actor, region_path=path, enterprise_id=enterprise)
    if not ok:
        raise NotFound(f"{what}不存在")
    return row
