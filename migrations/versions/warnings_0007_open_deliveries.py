"""warnings: a partial index of the delivery rows still to send, in id order (the claim's walk)

The claim takes the lowest ids among the due rows of a warning. Without this index it sorted every due
row of the warning on each claim (hundreds of thousands during a district-wide warning) or walked the
primary key past every row already sent; sent and failed rows leave this index.

Revision ID: warnings_0007
Revises: warnings_0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "warnings_0007"
down_revision: str | Sequence[str] | None = "warnings_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status IN ('pending', 'sending')")


def upgrade() -> None:
    op.create_index("ix_warning_deliveries_open", "warning_deliveries", ["id"],
                    postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade() -> None:
    op.drop_index("ix_warning_deliveries_open", table_name="warning_deliveries")
