"""alarms grouped into events

Revision ID: monitoring_0002
Revises: monitoring_0001
Create Date: 2026-12-01 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "monitoring_0002"
down_revision: str | Sequence[str] | None = "monitoring_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("monitoring_alarms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("event_key", sa.String(length=120), nullable=False, server_default=""))
        batch_op.create_index(batch_op.f("ix_monitoring_alarms_event_id"), ["event_id"], unique=False)
    # Alarms raised before events existed: each is its own event.
    op.execute("UPDATE monitoring_alarms SET event_id = id WHERE event_id IS NULL")


def downgrade() -> None:
    with op.batch_alter_table("monitoring_alarms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_alarms_event_id"))
        batch_op.drop_column("event_key")
        batch_op.drop_column("event_id")
