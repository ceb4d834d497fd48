"""warnings: the subscribers' (lon, lat) index covers what resolution reads (an index-only range scan)

Revision ID: warnings_0006
Revises: warnings_0005
"""

from collections.abc import Sequence

from alembic import op

revision: str = "warnings_0006"
down_revision: str | Sequence[str] | None = "warnings_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["lon", "lat", "status", "event_types", "phone", "village_code"]


def upgrade() -> None:
    op.create_index("ix_warning_subscribers_area", "warning_subscribers", COLUMNS)
    op.drop_index("ix_warning_subscribers_lon_lat", table_name="warning_subscribers")  # its prefix


def downgrade() -> None:
    op.create_index("ix_warning_subscribers_lon_lat", "warning_subscribers", ["lon", "lat"])
    op.drop_index("ix_warning_subscribers_area", table_name="warning_subscribers")
