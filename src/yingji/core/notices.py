"""The notices inbox (待办): what waits for whom, one table for every capability.

A capability posts a notice about one of its records (an alarm to acknowledge, a warning to sign, an
overdue hazard, a store running low) with ``post``; the 待办 page, its API and the header badge read
them for the signed-in user. A notice goes either to one account (``recipient_id``) or to an audience:
everyone of the given roles whose area covers the record (``region_path``, or its enterprise) — the
audience is resolved when someone reads, so a township officer appointed tomorrow sees what waits in the
township today, and one row serves every member of the audience.

Two kinds of "finished", kept apart:

- per person (``NoticeState``): read, and done ("I have dealt with it", "not for me") — one row per
  (notice, user), written only when that user reads or marks;
- for the record (``Notice.closed_at``): the thing stopped waiting for anyone (the alarm was
  acknowledged, the warning signed, the hazard rectified). The capability closes its notices with
  ``close`` in the transaction of that change; closed notices leave every 待办 list.

``post`` is idempotent on ``dedupe_key`` (outbox handlers and event subscribers may run twice). The kernel
knows nothing of the capabilities: ``source`` (the capability's name), ``kind``, ``ref_type`` and ``ref_id``
are theirs to choose, ``link`` is the URL path of the record's page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ForeignKey, Index, Integer, String, Text, and_, false, func, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from yingji.core.actor import Actor, scope_condition
from yingji.core.clock import utcnow
from yingji.core.db import Base, UTCDateTime
from yingji.core.errors import NotFound, invalid
from yingji.core.pagination import PageParams

Status = Literal["open", "done", "all"]
STATUSES: tuple[str, ...] = ("open", "done", "all")


class Notice(Base):
    __tablename__ = "notices"
    __generation__ = True  # pages cache what they show of these rows (core.layercache)
    __table_args__ = (Index("ix_notices_record", "source", "ref_type", "ref_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # What makes two posts the same notice ("monitoring:alarm-event:12:ack:red"): posting it again is a no-op.
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)
    source: Mapped[str] = mapped_column(String(24))
    kind: Mapped[str] = mapped_column(String(40))
    ref_type: Mapped[str] = mapped_column(String(24))
    ref_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(300), default="")
    recipient_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # The audience: ",duty_officer,township_officer," (comma-framed so that one LIKE finds a role).
    roles: Mapped[str] = mapped_column(String(200), default="")
    region_path: Mapped[str | None] = mapped_column(String(400), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(Integer)
    # Whom it is addressed to outside the accounts, as the record names them (a responsible person, a unit).
    addressee: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    @property
    def role_list(self) -> list[str]:
        return [r for r in self.roles.split(",") if r]


class NoticeState(Base):
    """One user's reading of one notice. Reading is not a change of the record: not audited."""

    __tablename__ = "notice_states"
    __generation__ = True  # pages cache what they show of these rows (core.layercache)
    __audit__ = False

    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class InboxItem:
    """A notice as one user sees it."""

    notice: Notice
    read_at: datetime | None
    done_at: datetime | None

    @property
    def open(self) -> bool:
        return self.notice.closed_at is None and self.done_at is None

    @property
    def unread(self) -> bool:
        return self.read_at is None


def _roles_field(roles: Iterable[str]) -> str:
    chosen = sorted({r.strip() for r in roles if r.strip()})
    return "," + ",".join(chosen) + "," if chosen else ""


def post(
    db: Session,
    *,
    source: str,
    kind: str,
    ref_type: str,
    ref_id: int,
    title: str,
    dedupe_key: str,
    body: str = "",
    link: str = "",
    recipient_id: int | None = None,
    roles: Sequence[str] = (),
    region_path: str | None = None,
    enterprise_id: int | None = None,
    addressee: str = "",
    done_for: Iterable[int] = (),
    at: datetime | None = None,
) -> tuple[Notice, bool]:
    """Records a notice once per ``dedupe_key``; returns (the notice, whether it is new). ``done_for``: users
    for whom it is settled from the start (the author of a warning waits for someone else to sign it)."""
    if (recipient_id is None) == (not roles):
        raise ValueError("a notice goes to one recipient or to an audience of roles, not both or neither")
    existing = db.scalar(select(Notice).where(Notice.dedupe_key == dedupe_key))
    if existing is not None:
        return existing, False
    now = at or utcnow()
    notice = Notice(
        dedupe_key=dedupe_key[:160],
        source=source,
        kind=kind,
        ref_type=ref_type,
        ref_id=ref_id,
        title=title[:200],
        body=body,
        link=link[:300],
        recipient_id=recipient_id,
        roles=_roles_field(roles),
        region_path=region_path,
        enterprise_id=enterprise_id,
        addressee=addressee[:200],
        created_at=now,
    )
    db.add(notice)
    db.flush()
    for uid in set(done_for):
        if uid is not None:
            db.add(NoticeState(notice_id=notice.id, user_id=uid, read_at=now, done_at=now))
    db.flush()
    return notice, True


def _record(source: str, ref_type: str | None, ref_id: int | None, kinds: Iterable[str] | None) -> list[Any]:
    conds: list[Any] = [Notice.source == source]
    if ref_type is not None:
        conds.append(Notice.ref_type == ref_type)
    if ref_id is not None:
        conds.append(Notice.ref_id == ref_id)
    if kinds is not None:
        conds.append(Notice.kind.in_(list(kinds)))
    return conds


def close(
    db: Session,
    *,
    source: str,
    ref_type: str,
    ref_id: int,
    kinds: Iterable[str] | None = None,
    keep_key: str | None = None,
    at: datetime | None = None,
) -> int:
    """The record stopped waiting: its open notices (of ``kinds``; all when None) leave every 待办 list.
    ``keep_key`` spares one notice (the one that replaces the others). Returns how many were closed."""
    conds = [*_record(source, ref_type, ref_id, kinds), Notice.closed_at.is_(None)]
    if keep_key is not None:
        conds.append(Notice.dedupe_key != keep_key)
    ids = list(db.scalars(select(Notice.id).where(*conds)))
    if ids:
        # Through the ORM (not a bulk UPDATE) so that the audit log records each closing.
        for notice in db.scalars(select(Notice).where(Notice.id.in_(ids))):
            notice.closed_at = at or utcnow()
        db.flush()
    return len(ids)


def of_record(
    db: Session,
    *,
    source: str,
    ref_type: str | None = None,
    ref_id: int | None = None,
    kinds: Iterable[str] | None = None,
    where: Any = None,
    open_only: bool = False,
    recipient_id: int | None = None,
    limit: int = 100,
) -> list[Notice]:
    """The notices a capability posted (about one record, or all of a type), newest first, for its own
    pages: the capability decides who may see them (``where``: its scope condition on ``Notice``)."""
    conds = _record(source, ref_type, ref_id, kinds)
    if where is not None:
        conds.append(where)
    if open_only:
        conds.append(Notice.closed_at.is_(None))
    if recipient_id is not None:
        conds.append(Notice.recipient_id == recipient_id)
    return list(db.scalars(select(Notice).where(*conds).order_by(Notice.id.desc()).limit(limit)))


# --- the inbox of one user --------------------------------------------------------------------------


def visible(actor: Actor) -> Any:
    """SQL condition: notices addressed to ``actor``, or to its role with the record inside its area."""
    if actor.id is None:  # the system acts, it has no inbox
        return false()
    audience = and_(
        Notice.roles.contains(f",{actor.role},", autoescape=True),
        scope_condition(actor, Notice.region_path, Notice.enterprise_id),
    )
    return or_(Notice.recipient_id == actor.id, audience)


def _query(actor: Actor) -> Any:
    return (
        select(Notice, NoticeState)
        .outerjoin(NoticeState, and_(NoticeState.notice_id == Notice.id, NoticeState.user_id == actor.id))
        .where(visible(actor))
    )


def _open() -> Any:
    return and_(Notice.closed_at.is_(None), NoticeState.done_at.is_(None))


def inbox(
    db: Session, *, actor: Actor, page: PageParams, status: str = "open", source: str | None = None
) -> tuple[list[InboxItem], int]:
    """One page of the actor's notices: ``open`` (waiting for them), ``done`` (done by them or closed),
    ``all``; unread before read, then newest first."""
    if status not in STATUSES:
        raise invalid("status", "状态无效，可选 open（待处理）、done（已完成）、all（全部）")
    q = _query(actor)
    if status == "open":
        q = q.where(_open())
    elif status == "done":
        q = q.where(or_(Notice.closed_at.is_not(None), NoticeState.done_at.is_not(None)))
    if source:
        q = q.where(Notice.source == source)
    total = db.scalar(select(func.count()).select_from(q.subquery())) or 0
    ordered = q.order_by(NoticeState.read_at.is_not(None), Notice.created_at.desc(), Notice.id.desc())
    rows = db.execute(ordered.offset(page.offset).limit(page.page_size)).all()
    return [_item(n, s) for n, s in rows], total


def unread_count(db: Session, *, actor: Actor) -> int:
    """The header badge: open notices the actor has not read yet."""
    q = _query(actor).where(_open(), NoticeState.read_at.is_(None))
    return db.scalar(select(func.count()).select_from(q.subquery())) or 0


def _item(notice: Notice, state: NoticeState | None) -> InboxItem:
    return InboxItem(notice, state.read_at if state else None, state.done_at if state else None)


def get(db: Session, *, actor: Actor, notice_id: int) -> InboxItem:
    """One of the actor's notices; another's answers 404, as if it did not exist."""
    row = db.execute(_query(actor).where(Notice.id == notice_id)).first()
    if row is None:
        raise NotFound("通知不存在")
    return _item(*row)


def _mark(db: Session, actor: Actor, notice_id: int, *, done: bool) -> InboxItem:
    get(db, actor=actor, notice_id=notice_id)
    # The notice's row is locked first, so two marks of the same notice at once take turns instead of
    # both inserting the state row (on SQLite this takes the write lock before the read).
    db.execute(select(Notice.id).where(Notice.id == notice_id).with_for_update())
    now = utcnow()
    state = db.get(NoticeState, (notice_id, actor.id))
    if state is None:
        state = NoticeState(notice_id=notice_id, user_id=actor.id)
        db.add(state)
    state.read_at = state.read_at or now
    if done:
        state.done_at = state.done_at or now
    db.flush()
    return get(db, actor=actor, notice_id=notice_id)


def mark_read(db: Session, *, actor: Actor, notice_id: int) -> InboxItem:
    return _mark(db, actor, notice_id, done=False)


def mark_done(db: Session, *, actor: Actor, notice_id: int) -> InboxItem:
    """Done for this user (read too); the others of its audience still see it."""
    return _mark(db, actor, notice_id, done=True)

