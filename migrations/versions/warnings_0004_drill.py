"""warnings: drill warnings (演练), published only to a named test audience

Revision ID: warnings_0004
Revises: warnings_0003
Create Date: 2026-12-02 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "warnings_0004"
down_revision: str | Sequence[str] | None = "warnings_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("warnings") as batch:
        batch.add_column(sa.Column("drill", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.create_index("ix_warnings_drill", ["drill"])


def downgrade() -> None:
    with op.batch_alter_table("warnings") as batch:
        batch.drop_index("ix_warnings_drill")
        batch.drop_column("drill")
