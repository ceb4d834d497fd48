"""geo: roads and rivers drawn on the map (map_lines)

Revision ID: geo_0002_map_lines
Revises: geo_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'geo_0002_map_lines'
down_revision: str | Sequence[str] | None = 'geo_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('map_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('layer', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('geometry', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_map_lines'))
    )
    op.create_index('ix_map_lines_layer', 'map_lines', ['layer'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_map_lines_layer', table_name='map_lines')
    op.drop_table('map_lines')
