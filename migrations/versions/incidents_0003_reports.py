"""incidents: the affected area drawn for an incident and the natural-disaster reports (灾情报告)

Revision ID: incidents_0003
Revises: incidents_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingji.core.db

revision: str = "incidents_0003"
down_revision: str | Sequence[str] | None = "incidents_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inc_affected_areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("geometry", sa.JSON(), nullable=False),
        sa.Column("updated_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["inc_incidents.id"],
                                name=op.f("fk_inc_affected_areas_incident_id_inc_incidents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_affected_areas")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_inc_affected_areas_incident_id")),
    )
    op.create_table(
        "inc_disaster_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("as_of", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_by", sa.String(length=80), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=True),
        sa.Column("late_minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["inc_incidents.id"],
                                name=op.f("fk_inc_disaster_reports_incident_id_inc_incidents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_disaster_reports")),
        sa.UniqueConstraint("incident_id", "number", name=op.f("uq_inc_disaster_reports_incident_id")),
    )
    with op.batch_alter_table("inc_disaster_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inc_disaster_reports_incident_id"), ["incident_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inc_disaster_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inc_disaster_reports_incident_id"))
    op.drop_table("inc_disaster_reports")
    op.drop_table("inc_affected_areas")
