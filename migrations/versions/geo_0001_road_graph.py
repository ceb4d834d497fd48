"""geo: the road graph (road_edges) used for travel times and walking distances

Revision ID: geo_0001
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'geo_0001'
down_revision: str | Sequence[str] | None = '0001_foundation'
branch_labels: str | Sequence[str] | None = ('geo',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('road_edges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('a_lon', sa.Float(), nullable=False),
    sa.Column('a_lat', sa.Float(), nullable=False),
    sa.Column('b_lon', sa.Float(), nullable=False),
    sa.Column('b_lat', sa.Float(), nullable=False),
    sa.Column('length_m', sa.Float(), nullable=False),
    sa.Column('speed_kmh', sa.Float(), nullable=False),
    sa.Column('highway', sa.String(length=20), nullable=False),
    sa.Column('oneway', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_road_edges'))
    )


def downgrade() -> None:
    op.drop_table('road_edges')
