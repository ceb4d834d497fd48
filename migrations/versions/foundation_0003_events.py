"""foundation: processed domain events (event id, subscriber), so that subscribers run once per event

Revision ID: foundation_0003_events
Revises: foundation_0002_calendar
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingji.core.db

revision: str = "foundation_0003_events"
down_revision: str | Sequence[str] | None = "foundation_0002_calendar"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("subscriber", sa.String(length=120), nullable=False),
        sa.Column("processed_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "subscriber", name=op.f("pk_processed_events")),
    )


def downgrade() -> None:
    op.drop_table("processed_events")
