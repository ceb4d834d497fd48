"""warnings: drafts opened from alarms by a configured rule (one per alarm)

Revision ID: warnings_0002_alarm_drafts
Revises: warnings_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingji.core.db

revision: str = "warnings_0002_alarm_drafts"
down_revision: str | Sequence[str] | None = "warnings_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "warnings_alarm_drafts",
        sa.Column("alarm_id", sa.Integer(), nullable=False),
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("created_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["warning_id"], ["warnings.id"], name=op.f("fk_warnings_alarm_drafts_warning_id_warnings"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("alarm_id", name=op.f("pk_warnings_alarm_drafts")),
    )
    with op.batch_alter_table("warnings_alarm_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_warnings_alarm_drafts_warning_id"), ["warning_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("warnings_alarm_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_warnings_alarm_drafts_warning_id"))
    op.drop_table("warnings_alarm_drafts")
