"""monitoring: the escalation notices of the bureau leaders move to the shared notices inbox

Each row of monitoring_alarm_notices becomes one notice to that leader (read ones stay read); a notice
of an alarm that is no longer open is closed. Then the table goes.

Revision ID: monitoring_0003
Revises: monitoring_0002
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import yingji.core.db

revision: str = "monitoring_0003"
down_revision: str | Sequence[str] | None = "monitoring_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "foundation_0004_notices"

T = yingji.core.db.UTCDateTime(timezone=True)
notices = sa.table(
    "notices",
    *(sa.column(c, sa.Integer) for c in ("id", "ref_id", "recipient_id", "enterprise_id")),
    *(sa.column(c, sa.String) for c in ("dedupe_key", "source", "kind", "ref_type", "title", "body", "link")),
    *(sa.column(c, sa.String) for c in ("roles", "region_path", "addressee")),
    sa.column("created_at", T),
    sa.column("closed_at", T),
)
states = sa.table(
    "notice_states", sa.column("notice_id", sa.Integer), sa.column("user_id", sa.Integer),
    sa.column("read_at", T), sa.column("done_at", T),
)
old = sa.table(
    "monitoring_alarm_notices",
    *(sa.column(c, sa.Integer) for c in ("id", "alarm_id", "user_id")),
    sa.column("message", sa.String), sa.column("created_at", T), sa.column("read_at", T),
)
alarms = sa.table(
    "monitoring_alarms",
    *(sa.column(c, sa.Integer) for c in ("id", "enterprise_id")),
    *(sa.column(c, sa.String) for c in ("region_path", "state")),
    sa.column("acknowledged_at", T), sa.column("ended_at", T),
)
KIND, TITLE = "alarm_escalated", "红色告警未确认"


def upgrade() -> None:
    conn = op.get_bind()
    now = datetime.now(UTC)
    rows = conn.execute(
        sa.select(old, alarms.c.region_path, alarms.c.enterprise_id, alarms.c.state, alarms.c.acknowledged_at,
                  alarms.c.ended_at)
        .join(alarms, alarms.c.id == old.c.alarm_id)
        .order_by(old.c.id)
    ).all()
    seen: set[str] = set()
    for r in rows:
        key = f"monitoring:alarm:{r.alarm_id}:escalated:{r.user_id}"
        if key in seen:
            continue
        seen.add(key)
        closed = None if r.state == "open" else (r.acknowledged_at or r.ended_at or now)
        conn.execute(
            notices.insert().values(
                dedupe_key=key, source="monitoring", kind=KIND, ref_type="alarm", ref_id=r.alarm_id, title=TITLE,
                body=r.message, link=f"/monitoring/alarms/{r.alarm_id}", recipient_id=r.user_id, roles="",
                region_path=r.region_path, enterprise_id=r.enterprise_id, addressee="", created_at=r.created_at,
                closed_at=closed,
            )
        )
        if r.read_at is not None:
            nid = conn.scalar(sa.select(notices.c.id).where(notices.c.dedupe_key == key))
            conn.execute(states.insert().values(notice_id=nid, user_id=r.user_id, read_at=r.read_at, done_at=None))
    with op.batch_alter_table("monitoring_alarm_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_alarm_notices_user_id"))
        batch_op.drop_index(batch_op.f("ix_monitoring_alarm_notices_alarm_id"))
    op.drop_table("monitoring_alarm_notices")


def downgrade() -> None:
    op.create_table(
        "monitoring_alarm_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alarm_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("created_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["alarm_id"],
            ["monitoring_alarms.id"],
            name=op.f("fk_monitoring_alarm_notices_alarm_id_monitoring_alarms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_alarm_notices")),
    )
    with op.batch_alter_table("monitoring_alarm_notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_alarm_notices_alarm_id"), ["alarm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_alarm_notices_user_id"), ["user_id"], unique=False)
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(notices.c.ref_id, notices.c.recipient_id, notices.c.body, notices.c.created_at, states.c.read_at)
        .select_from(notices.join(alarms, alarms.c.id == notices.c.ref_id))
        .outerjoin(states, sa.and_(states.c.notice_id == notices.c.id, states.c.user_id == notices.c.recipient_id))
        .where(notices.c.source == "monitoring", notices.c.kind == KIND)
        .order_by(notices.c.id)
    ).all()
    for r in rows:
        conn.execute(old.insert().values(alarm_id=r.ref_id, user_id=r.recipient_id, message=r.body[:500],
                                         created_at=r.created_at, read_at=r.read_at))
    # The older code keeps no notices of its own in the shared table (nor would it close them).
    mine = sa.select(notices.c.id).where(notices.c.source == "monitoring")
    conn.execute(states.delete().where(states.c.notice_id.in_(mine)))
    conn.execute(notices.delete().where(notices.c.source == "monitoring"))
