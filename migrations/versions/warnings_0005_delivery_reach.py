"""warnings: the people one delivery reaches (an area broadcast's population)

Revision ID: warnings_0005
Revises: warnings_0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "warnings_0005"
down_revision: str | Sequence[str] | None = "warnings_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("warning_deliveries", sa.Column("reach", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("warning_deliveries") as batch:
        batch.drop_column("reach")
