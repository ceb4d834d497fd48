"""enforcement: photos, signatures and the enterprise's acknowledgement recorded on the phone page

Revision ID: enforcement_0004
Revises: enforcement_0003
Create Date: 2026-12-02 16:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingji.core.db

revision: str = 'enforcement_0004'
down_revision: str | Sequence[str] | None = 'enforcement_0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('enf_inspection_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('client_key', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=True),
    sa.Column('inspector_id', sa.Integer(), nullable=True),
    sa.Column('signer_name', sa.String(length=100), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('created_at', yingji.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['finding_id'], ['enf_findings.id'],
                            name=op.f('fk_enf_inspection_attachments_finding_id_enf_findings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inspection_id'], ['enf_inspections.id'],
                            name=op.f('fk_enf_inspection_attachments_inspection_id_enf_inspections'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enf_inspection_attachments')),
    sa.UniqueConstraint('client_key', name=op.f('uq_enf_inspection_attachments_client_key'))
    )
    with op.batch_alter_table('enf_inspection_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enf_inspection_attachments_inspection_id'), ['inspection_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_enf_inspection_attachments_finding_id'), ['finding_id'], unique=False)


def downgrade() -> None:
    op.drop_table('enf_inspection_attachments')
