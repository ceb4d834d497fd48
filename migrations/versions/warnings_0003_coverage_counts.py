"""warnings: running coverage figures per warning and per channel (the dashboard reads these instead of
scanning every delivery row), and an index on a recipient's deliveries of one warning

Revision ID: warnings_0003
Revises: warnings_0002_alarm_drafts
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingji.core.db

revision: str = "warnings_0003"
down_revision: str | Sequence[str] | None = "warnings_0002_alarm_drafts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "warning_coverage",
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("reached", sa.Integer(), nullable=False),
        sa.Column("expanding", sa.Boolean(), nullable=False),
        sa.Column("updated_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["warning_id"], ["warnings.id"], name=op.f("fk_warning_coverage_warning_id_warnings"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("warning_id", name=op.f("pk_warning_coverage")),
    )
    op.create_table(
        "warning_channel_counts",
        sa.Column("warning_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("targeted", sa.Integer(), nullable=False),
        sa.Column("fallback", sa.Integer(), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("pending", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["warning_id"],
            ["warnings.id"],
            name=op.f("fk_warning_channel_counts_warning_id_warnings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("warning_id", "channel", name=op.f("pk_warning_channel_counts")),
    )
    with op.batch_alter_table("warning_deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_warning_deliveries_recipient", ["warning_id", "recipient_ref"], unique=False)
    # The figures of warnings published before: counted once from their rows.
    op.execute(
        """
        INSERT INTO warning_channel_counts (warning_id, channel, targeted, fallback, sent, failed, pending)
        SELECT warning_id, channel, COUNT(*),
               SUM(CASE WHEN fallback_of IS NULL THEN 0 ELSE 1 END),
               SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END),
               SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END),
               SUM(CASE WHEN status IN ('sent', 'failed') THEN 0 ELSE 1 END)
        FROM warning_deliveries GROUP BY warning_id, channel
        """
    )
    op.execute(
        """
        INSERT INTO warning_coverage (warning_id, expected, recipients, reached, expanding, updated_at)
        SELECT warning_id, COUNT(DISTINCT recipient_ref), COUNT(DISTINCT recipient_ref),
               COUNT(DISTINCT CASE WHEN status = 'sent' THEN recipient_ref END), FALSE, CURRENT_TIMESTAMP
        FROM warning_deliveries GROUP BY warning_id
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("warning_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_warning_deliveries_recipient")
    op.drop_table("warning_channel_counts")
    op.drop_table("warning_coverage")
