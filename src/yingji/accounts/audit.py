"""Reading the audit log as people do: entries found by record, user (by username) and time, with the user's
name beside each. The query and the permission checks are ``core.audit``'s; this adds the accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.accounts.models import User
from yingji.core import audit
from yingji.core.actor import Actor
from yingji.core.clock import LOCAL_TZ
from yingji.core.errors import invalid
from yingji.core.pagination import PageParams


@dataclass
class AuditQuery:
    entity: str = ""
    entity_id: str = ""
    user: str = ""
    since: str = ""
    until: str = ""


def moment(raw: str, field: str) -> datetime | None:
    """A time from a query: ISO-8601; without a zone it is Beijing time (what the page's fields give)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise invalid(field, "时间格式应为 2026-06-01T08:00（北京时间）或带时区的 ISO-8601") from None
    return value.replace(tzinfo=LOCAL_TZ) if value.tzinfo is None else value


def search(*, db: Session, actor: Actor, page: PageParams, query: AuditQuery) -> tuple[list[dict[str, Any]], int]:
    actor_id = None
    if query.user.strip():
        actor_id = db.scalar(select(User.id).where(User.username == query.user.strip()))
        if actor_id is None:
            raise invalid("user", f"没有用户名为“{query.user.strip()[:64]}”的用户")
    rows, total = audit.search(
        db,
        actor=actor,
        page=page,
        entity=query.entity.strip() or None,
        entity_id=query.entity_id.strip() or None,
        actor_id=actor_id,
        since=moment(query.since, "since"),
        until=moment(query.until, "until"),
    )
    ids = {r.actor_id for r in rows if r.actor_id is not None}
    names = dict(db.execute(select(User.id, User.username).where(User.id.in_(ids))).all()) if ids else {}
    items = [
        {
            "seq": r.seq,
            "ts": r.ts,
            "actor_id": r.actor_id,
            "actor": names.get(r.actor_id) if r.actor_id is not None else None,
            "action": r.action,
            "entity": r.entity,
            "entity_id": r.entity_id,
            "before": r.before,
            "after": r.after,
        }
        for r in rows
    ]
    return items, total
