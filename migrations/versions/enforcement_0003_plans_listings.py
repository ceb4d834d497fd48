"""enforcement: annual inspection plans, the untrustworthy list, inspectors' qualification and equipment

Revision ID: enforcement_0003
Revises: enforcement_0002
Create Date: 2026-12-02 15:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingji.core.db

revision: str = 'enforcement_0003'
down_revision: str | Sequence[str] | None = 'enforcement_0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('enf_inspectors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('qualified', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('equipment_fitted', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table('enf_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('targets', sa.JSON(), nullable=False),
    sa.Column('load', sa.JSON(), nullable=False),
    sa.Column('months', sa.JSON(), nullable=False),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.Column('created_at', yingji.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('published_at', yingji.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enf_plans'))
    )
    with op.batch_alter_table('enf_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enf_plans_year'), ['year'], unique=False)
    op.create_table('enf_listings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('region_path', sa.String(length=400), nullable=False),
    sa.Column('party_name', sa.String(length=200), nullable=False),
    sa.Column('uscc', sa.String(length=40), nullable=False),
    sa.Column('ground', sa.String(length=40), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('notice_no', sa.String(length=60), nullable=False),
    sa.Column('noticed_at', yingji.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decision_no', sa.String(length=60), nullable=True),
    sa.Column('listed_at', yingji.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ends_at', yingji.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('removed_at', yingji.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('removal', sa.String(length=12), nullable=False),
    sa.Column('repair_evidence', sa.Text(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['enf_cases.id'], name=op.f('fk_enf_listings_case_id_enf_cases'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_enf_listings_enterprise_id_enterprises'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enf_listings')),
    sa.UniqueConstraint('decision_no', name=op.f('uq_enf_listings_decision_no')),
    sa.UniqueConstraint('notice_no', name=op.f('uq_enf_listings_notice_no'))
    )
    with op.batch_alter_table('enf_listings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enf_listings_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enf_listings_region_path'), ['region_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_enf_listings_case_id'), ['case_id'], unique=False)


def downgrade() -> None:
    op.drop_table('enf_listings')
    op.drop_table('enf_plans')
    with op.batch_alter_table('enf_inspectors', schema=None) as batch_op:
        batch_op.drop_column('equipment_fitted')
        batch_op.drop_column('qualified')
