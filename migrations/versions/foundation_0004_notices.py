"""foundation: the notices inbox (待办) shared by every capability, and each user's reading of it

The capabilities' own notice tables (monitoring_alarm_notices, risk_notices, res_alerts) move their rows
here in a revision of their own branch that depends on this one, and are dropped there.

Revision ID: foundation_0004_notices
Revises: foundation_0003_events
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingji.core.db

revision: str = "foundation_0004_notices"
down_revision: str | Sequence[str] | None = "foundation_0003_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=160), nullable=False),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("ref_type", sa.String(length=24), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=True),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("region_path", sa.String(length=400), nullable=True),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("addressee", sa.String(length=200), nullable=False),
        sa.Column("created_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_notices_dedupe_key")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index("ix_notices_record", ["source", "ref_type", "ref_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notices_recipient_id"), ["recipient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notices_region_path"), ["region_path"], unique=False)
        batch_op.create_index(batch_op.f("ix_notices_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_notices_closed_at"), ["closed_at"], unique=False)
    op.create_table(
        "notice_states",
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("read_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_notice_states_notice_id_notices"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("notice_id", "user_id", name=op.f("pk_notice_states")),
    )
    with op.batch_alter_table("notice_states", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_states_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notice_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_states_user_id"))
    op.drop_table("notice_states")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notices_closed_at"))
        batch_op.drop_index(batch_op.f("ix_notices_created_at"))
        batch_op.drop_index(batch_op.f("ix_notices_region_path"))
        batch_op.drop_index(batch_op.f("ix_notices_recipient_id"))
        batch_op.drop_index("ix_notices_record")
    op.drop_table("notices")
