"""incidents: incidents and their reports, casualty changes, grade history, reporting obligations, the
timeline, alarm proposals, the duty roster, handovers and open duty items

Revision ID: incidents_0001
Revises: 0001_foundation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingji.core.db

revision: str = "incidents_0001"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("incidents",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inc_alarm_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alarm_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("sensor_kind", sa.String(length=30), nullable=True),
        sa.Column("region_path", sa.String(length=400), nullable=False),
        sa.Column("rule_name", sa.String(length=200), nullable=False),
        sa.Column("raised_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.String(length=80), nullable=False),
        sa.Column("decided_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_alarm_proposals")),
        sa.UniqueConstraint("alarm_id", name=op.f("uq_inc_alarm_proposals_alarm_id")),
    )
    with op.batch_alter_table("inc_alarm_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inc_alarm_proposals_region_path"), ["region_path"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_alarm_proposals_status"), ["status"], unique=False)

    op.create_table(
        "inc_duty_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("region_code", sa.String(length=20), nullable=False),
        sa.Column("region_name", sa.String(length=50), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_duty_assignments")),
        sa.UniqueConstraint("day", "role", "region_code", "name", name=op.f("uq_inc_duty_assignments_day")),
    )
    with op.batch_alter_table("inc_duty_assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inc_duty_assignments_day"), ["day"], unique=False)

    op.create_table(
        "inc_duty_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=80), nullable=False),
        sa.Column("closed_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=80), nullable=False),
        sa.Column("carried", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_duty_items")),
    )
    op.create_table(
        "inc_handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("from_name", sa.String(length=80), nullable=False),
        sa.Column("to_name", sa.String(length=80), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("carried_item_ids", sa.JSON(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_handovers")),
    )
    with op.batch_alter_table("inc_handovers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inc_handovers_day"), ["day"], unique=False)

    op.create_table(
        "inc_incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("incident_class", sa.String(length=30), nullable=False),
        sa.Column("scheme", sa.String(length=10), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("region_path", sa.String(length=400), nullable=False),
        sa.Column("region_code", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("occurred_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reported_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("grade", sa.String(length=3), nullable=False),
        sa.Column("grade_label", sa.String(length=40), nullable=False),
        sa.Column("near_miss", sa.Boolean(), nullable=False),
        sa.Column("drill", sa.Boolean(), nullable=False),
        sa.Column("deaths", sa.Integer(), nullable=False),
        sa.Column("missing", sa.Integer(), nullable=False),
        sa.Column("serious_injuries", sa.Integer(), nullable=False),
        sa.Column("trapped", sa.Integer(), nullable=False),
        sa.Column("direct_loss_yuan", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("stabilised_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["inc_incidents.id"], name=op.f("fk_inc_incidents_merged_into_id_inc_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_incidents")),
    )
    with op.batch_alter_table("inc_incidents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inc_incidents_drill"), ["drill"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_incidents_enterprise_id"), ["enterprise_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_incidents_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_incidents_region_path"), ["region_path"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_incidents_reported_at"), ["reported_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_incidents_status"), ["status"], unique=False)

    op.create_table(
        "inc_casualty_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("old", sa.Integer(), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=80), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["inc_incidents.id"], name=op.f("fk_inc_casualty_changes_incident_id_inc_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_casualty_changes")),
    )
    with op.batch_alter_table("inc_casualty_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inc_casualty_changes_incident_id"), ["incident_id"], unique=False)

    op.create_table(
        "inc_grade_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("old_grade", sa.String(length=3), nullable=False),
        sa.Column("new_grade", sa.String(length=3), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("near_miss", sa.Boolean(), nullable=False),
        sa.Column("decided_by", sa.JSON(), nullable=False),
        sa.Column("at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_name", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["inc_incidents.id"], name=op.f("fk_inc_grade_changes_incident_id_inc_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_grade_changes")),
    )
    with op.batch_alter_table("inc_grade_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inc_grade_changes_incident_id"), ["incident_id"], unique=False)

    op.create_table(
        "inc_obligations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("basis", sa.String(length=200), nullable=False),
        sa.Column("due_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recurring", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("fulfilled_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("fulfilled_by", sa.String(length=80), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("late_minutes", sa.Integer(), nullable=False),
        sa.Column("overdue_notified_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("leader_notified_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["inc_incidents.id"], name=op.f("fk_inc_obligations_incident_id_inc_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_obligations")),
        sa.UniqueConstraint("incident_id", "code", "due_at", name=op.f("uq_inc_obligations_incident_id")),
    )
    with op.batch_alter_table("inc_obligations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inc_obligations_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_obligations_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_obligations_status"), ["status"], unique=False)

    op.create_table(
        "inc_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("first_incident_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("reported_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("reporter_name", sa.String(length=50), nullable=False),
        sa.Column("reporter_phone", sa.String(length=20), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("region_path", sa.String(length=400), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("attachment_ids", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["inc_incidents.id"], name=op.f("fk_inc_reports_incident_id_inc_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_reports")),
    )
    with op.batch_alter_table("inc_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inc_reports_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_reports_reported_by_id"), ["reported_by_id"], unique=False)

    op.create_table(
        "inc_timeline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("actor_name", sa.String(length=80), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["inc_incidents.id"], name=op.f("fk_inc_timeline_incident_id_inc_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_timeline")),
    )
    with op.batch_alter_table("inc_timeline", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inc_timeline_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_timeline_incident_id"), ["incident_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inc_timeline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inc_timeline_incident_id"))
        batch_op.drop_index(batch_op.f("ix_inc_timeline_at"))

    op.drop_table("inc_timeline")
    with op.batch_alter_table("inc_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inc_reports_reported_by_id"))
        batch_op.drop_index(batch_op.f("ix_inc_reports_incident_id"))

    op.drop_table("inc_reports")
    with op.batch_alter_table("inc_obligations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inc_obligations_status"))
        batch_op.drop_index(batch_op.f("ix_inc_obligations_incident_id"))
        batch_op.drop_index(batch_op.f("ix_inc_obligations_due_at"))

    op.drop_table("inc_obligations")
    with op.batch_alter_table("inc_grade_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inc_grade_changes_incident_id"))

    op.drop_table("inc_grade_changes")
    with op.batch_alter_table("inc_casualty_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inc_casualty_changes_incident_id"))

    op.drop_table("inc_casualty_changes")
    with op.batch_alter_table("inc_incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inc_incidents_status"))
        batch_op.drop_index(batch_op.f("ix_inc_incidents_reported_at"))
        batch_op.drop_index(batch_op.f("ix_inc_incidents_region_path"))
        batch_op.drop_index(batch_op.f("ix_inc_incidents_kind"))
        batch_op.drop_index(batch_op.f("ix_inc_incidents_enterprise_id"))
        batch_op.drop_index(batch_op.f("ix_inc_incidents_drill"))

    op.drop_table("inc_incidents")
    with op.batch_alter_table("inc_handovers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inc_handovers_day"))

    op.drop_table("inc_handovers")
    op.drop_table("inc_duty_items")
    with op.batch_alter_table("inc_duty_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inc_duty_assignments_day"))

    op.drop_table("inc_duty_assignments")
    with op.batch_alter_table("inc_alarm_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inc_alarm_proposals_status"))
        batch_op.drop_index(batch_op.f("ix_inc_alarm_proposals_region_path"))

    op.drop_table("inc_alarm_proposals")
