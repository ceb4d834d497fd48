"""incidents: drill runs (情景构建 / 桌面推演) and their steps with start and finish times

Revision ID: incidents_0004
Revises: incidents_0003
Create Date: 2026-12-02 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingji.core.db

revision: str = "incidents_0004"
down_revision: str | Sequence[str] | None = "incidents_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inc_drill_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("scenario", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("plan_drill_id", sa.Integer(), nullable=True, index=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("warning_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("started_by", sa.Integer(), nullable=True),
        sa.Column("started_by_name", sa.String(100), nullable=False, server_default=""),
        sa.Column("started_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "inc_drill_steps",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("inc_drill_runs.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("outcome", sa.Text(), nullable=False, server_default=""),
        sa.UniqueConstraint("run_id", "position", name="uq_inc_drill_steps_position"),
    )


def downgrade() -> None:
    op.drop_table("inc_drill_steps")
    op.drop_table("inc_drill_runs")
