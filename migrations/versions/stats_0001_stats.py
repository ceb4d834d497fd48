"""stats: the yearly inputs the platform does not own, the plan's tasks and their reported progress

Revision ID: stats_0001
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingji.core.db

revision: str = "stats_0001"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("stats",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stats_year_inputs",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("gdp_yuan", sa.Numeric(18, 2), nullable=True),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("vehicles", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("updated_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_stats_year_inputs")),
    )
    op.create_table(
        "stats_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("section", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lead", sa.String(length=100), nullable=False),
        sa.Column("supporting", sa.JSON(), nullable=False),
        sa.Column("due_year", sa.Integer(), nullable=False),
        sa.Column("target", sa.Numeric(14, 4), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("base", sa.Numeric(14, 4), nullable=False),
        sa.Column("measure", sa.String(length=80), nullable=False),
        sa.Column("milestones", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_tasks")),
        sa.UniqueConstraint("code", name=op.f("uq_stats_tasks_code")),
    )
    op.create_table(
        "stats_task_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("value", sa.Numeric(14, 4), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("attachment_ids", sa.JSON(), nullable=False),
        sa.Column("reported_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reported_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["stats_tasks.id"], name=op.f("fk_stats_task_progress_task_id_stats_tasks"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_task_progress")),
    )
    op.create_index(op.f("ix_stats_task_progress_task_id"), "stats_task_progress", ["task_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_stats_task_progress_task_id"), table_name="stats_task_progress")
    op.drop_table("stats_task_progress")
    op.drop_table("stats_tasks")
    op.drop_table("stats_year_inputs")
