"""Hash-chained audit log of every create, update and delete.

An entry is written by a ``after_flush`` hook in the same transaction as the change, so a change and its
entry commit or roll back together. Each entry's hash covers its content and the previous entry's hash;
``verify_chain`` recomputes the chain and names the first entry that no longer matches. The chain head
(one row, locked ``FOR UPDATE`` on PostgreSQL) serialises writers so the chain never forks.

A model opts out with ``__audit__ = False`` (the log itself, sessions, high-volume readings) and hides
secrets with ``__audit_exclude__ = {"password_hash"}``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String, event, inspect, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.db import Base, UTCDateTime
from yingji.core.pagination import PageParams, paginate

GENESIS = "0" * 64


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __audit__ = False

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    ts: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(10))
    entity: Mapped[str] = mapped_column(String(64), index=True)
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The last sequence number and hash of the chain: one row, id 1."""

    __tablename__ = "audit_head"
    __audit__ = False

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _columns(obj: Any) -> list[str]:
    return [attr.key for attr in inspect(obj).mapper.column_attrs]


def _snapshot(obj: Any) -> dict[str, Any]:
    hidden = getattr(obj, "__audit_exclude__", set())
    return {k: ("***" if k in hidden else _plain(getattr(obj, k))) for k in _columns(obj)}


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    hidden = getattr(obj, "__audit_exclude__", set())
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in _columns(obj):
        hist = state.attrs[key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if key in hidden:
            before[key], after[key] = "***", "***"
        else:
            before[key], after[key] = _plain(old), _plain(new)
    return before, after


def _entity_id(obj: Any) -> str:
    # The primary key values themselves: during after_flush a new object's identity key is not set yet.
    ident = inspect(obj).mapper.primary_key_from_instance(obj)
    return "/".join(str(i) for i in ident)


def entry_hash(
    *,
    seq: int,
    ts: datetime,
    actor_id: int | None,
    action: str,
    entity: str,
    entity_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    prev_hash: str,
) -> str:
    body = json.dumps(
        [seq, ts.isoformat(), actor_id, action, entity, entity_id, before, after, prev_hash],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _audited(obj: Any) -> bool:
    return getattr(obj, "__audit__", True) and isinstance(obj, Base)


@event.listens_for(Session, "after_flush")
def _write_audit_entries(session: Session, _flush_context: Any) -> None:
    pending: list[tuple[str, Any, dict[str, Any] | None, dict[str, Any] | None]] = []
    for obj in session.new:
        if _audited(obj):
            pending.append(("create", obj, None, _snapshot(obj)))
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            before, after = _changes(obj)
            if after:
                pending.append(("update", obj, before, after))
    for obj in session.deleted:
        if _audited(obj):
            pending.append(("delete", obj, _snapshot(obj), None))
    if not pending:
        return

    conn = session.connection()
    head_q = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)
    if conn.dialect.name == "postgresql":
        head_q = head_q.with_for_update()
    head = conn.execute(head_q).one_or_none()
    if head is None:
        conn.execute(AuditHead.__table__.insert().values(id=1, seq=0, hash=GENESIS))
        seq, prev = 0, GENESIS
    else:
        seq, prev = head.seq, head.hash

    actor_id = session.info.get("actor_id")
    ts = utcnow()
    rows = []
    for action, obj, before, after in pending:
        seq += 1
        entity, entity_id = obj.__tablename__, _entity_id(obj)
        digest = entry_hash(
            seq=seq,
            ts=ts,
            actor_id=actor_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=before,
            after=after,
            prev_hash=prev,
        )
        rows.append(
            dict(
                seq=seq,
                ts=ts,
                actor_id=actor_id,
                action=action,
                entity=entity,
                entity_id=entity_id,
                before=before,
                after=after,
                prev_hash=prev,
                hash=digest,
            )
        )
        prev = digest
    conn.execute(AuditEntry.__table__.insert(), rows)
    conn.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=seq, hash=prev))


@dataclass
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_chain(db: Session, *, batch: int = 5000) -> ChainReport:
    """Walks the chain in order; the first entry whose link or content does not match is reported."""
    prev, expected_seq, checked = GENESIS, 1, 0
    last_seq = 0
    while True:
        entries = db.scalars(
            select(AuditEntry).where(AuditEntry.seq > last_seq).order_by(AuditEntry.seq).limit(batch)
        ).all()
        if not entries:
            break
        for e in entries:
            if e.seq != expected_seq:
                return ChainReport(checked, e.seq, f"序号不连续：期望 {expected_seq}，实际 {e.seq}（有记录被删除）")
            if e.prev_hash != prev:
                return ChainReport(checked, e.seq, "与上一条记录的哈希链接断开")
            digest = entry_hash(
                seq=e.seq,
                ts=e.ts,
                actor_id=e.actor_id,
                action=e.action,
                entity=e.entity,
                entity_id=e.entity_id,
                before=e.before,
                after=e.after,
                prev_hash=e.prev_hash,
            )
            if digest != e.hash:
                return ChainReport(checked, e.seq, "记录内容与其哈希不符（被改动过）")
            prev, expected_seq, last_seq = e.hash, e.seq + 1, e.seq
            checked += 1
    head = db.get(AuditHead, 1)
    if head is not None and head.seq != last_seq:
        return ChainReport(checked, last_seq + 1, f"链尾缺失：链头记录到 {head.seq}，实际只有 {last_seq}")
    return ChainReport(checked)


# --- reading the log -----------------------------------------------------------------------------
# audit.read: search the log (admins, bureau leaders); audit.verify: check the chain (admins).


def search(
    db: Session,
    *,
    actor: Actor,
    page: PageParams,
    entity: str | None = None,
    entity_id: str | None = None,
    actor_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[list[AuditEntry], int]:
    """Entries about one record (its table and key), by one user and/or in a time window, newest first."""
    require(actor, "audit.read")
    query = select(AuditEntry)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id:
        query = query.where(AuditEntry.entity_id == entity_id)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if since is not None:
        query = query.where(AuditEntry.ts >= since)
    if until is not None:
        query = query.where(AuditEntry.ts < until)
    return paginate(db, query.order_by(AuditEntry.seq.desc()), page)


def entities(db: Session, *, actor: Actor) -> list[str]:
    """The tables the log has entries for (the record filter's choices)."""
    require(actor, "audit.read")
    return list(db.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity)))


def verify(db: Session, *, actor: Actor) -> ChainReport:
    """``verify_chain`` for a person (the page's button, the API): only admins."""
    require(actor, "audit.verify")
    return verify_chain(db)


def describe(report: ChainReport) -> str:
    """The result in words, as ``yingji audit verify`` prints it."""
    if report.ok:
        return f"审计日志完整：已校验 {report.checked} 条记录"
    return f"审计日志在第 {report.broken_seq} 条断开：{report.reason}（之前 {report.checked} 条完好）"
