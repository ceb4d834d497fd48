"""monitoring: drill sensors and their alarms (演练), kept out of every figure

Revision ID: monitoring_0004
Revises: monitoring_0003
Create Date: 2026-12-02 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "monitoring_0004"
down_revision: str | Sequence[str] | None = "monitoring_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("monitoring_sensors") as batch:
        batch.add_column(sa.Column("drill", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("monitoring_alarms") as batch:
        batch.add_column(sa.Column("drill", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.create_index("ix_monitoring_alarms_drill", ["drill"])


def downgrade() -> None:
    with op.batch_alter_table("monitoring_alarms") as batch:
        batch.drop_index("ix_monitoring_alarms_drill")
        batch.drop_column("drill")
    with op.batch_alter_table("monitoring_sensors") as batch:
        batch.drop_column("drill")
