"""foundation: the generation of each cached map layer (core.layercache), bumped by the events that change it

Revision ID: foundation_0005_layer_versions
Revises: foundation_0004_notices
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "foundation_0005_layer_versions"
down_revision: str | Sequence[str] | None = "foundation_0004_notices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "map_layer_versions",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_map_layer_versions")),
    )


def downgrade() -> None:
    op.drop_table("map_layer_versions")
