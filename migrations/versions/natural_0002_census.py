"""natural: risk-census imports and their features (风险普查)

Revision ID: natural_0002
Revises: natural_0001
Create Date: 2026-12-02 15:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingji.core.db

revision: str = 'natural_0002'
down_revision: str | Sequence[str] | None = 'natural_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('natural_census_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('layer', sa.String(length=20), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('file_format', sa.String(length=20), nullable=False),
    sa.Column('source_crs', sa.String(length=200), nullable=False),
    sa.Column('features', sa.Integer(), nullable=False),
    sa.Column('replaced', sa.Integer(), nullable=False),
    sa.Column('region_path', sa.String(length=400), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', yingji.core.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_natural_census_imports'))
    )
    with op.batch_alter_table('natural_census_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_natural_census_imports_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_natural_census_imports_region_path'), ['region_path'], unique=False)

    op.create_table('natural_census_features',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('layer', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region_path', sa.String(length=400), nullable=False),
    sa.Column('village_code', sa.String(length=20), nullable=False),
    sa.Column('geometry', sa.JSON(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['natural_census_imports.id'],
                            name=op.f('fk_natural_census_features_import_id_natural_census_imports'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_natural_census_features'))
    )
    with op.batch_alter_table('natural_census_features', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_natural_census_features_import_id'), ['import_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_natural_census_features_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_natural_census_features_layer'), ['layer'], unique=False)
        batch_op.create_index(batch_op.f('ix_natural_census_features_region_path'), ['region_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_natural_census_features_village_code'), ['village_code'], unique=False)


def downgrade() -> None:
    op.drop_table('natural_census_features')
    op.drop_table('natural_census_imports')
