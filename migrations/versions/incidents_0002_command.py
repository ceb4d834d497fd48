"""incidents: the command workspace and dispatch: command state (response level, affected area), response
level history, tasks, numbered signed sitreps, dispatch orders and their steps, evacuees per shelter

Revision ID: incidents_0002
Revises: incidents_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingji.core.db

revision: str = "incidents_0002"
down_revision: str | Sequence[str] | None = "incidents_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inc_command",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("response_level", sa.String(length=3), nullable=False),
        sa.Column("response_started_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("response_ended_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("area_note", sa.String(length=300), nullable=False),
        sa.Column("area_by", sa.String(length=80), nullable=False),
        sa.Column("area_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["inc_incidents.id"], name=op.f("fk_inc_command_incident_id_inc_incidents")
        ),
        sa.PrimaryKeyConstraint("incident_id", name=op.f("pk_inc_command")),
    )
    op.create_table(
        "inc_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("region_path", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("receiver", sa.String(length=200), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("warehouse_id", sa.Integer(), nullable=True),
        sa.Column("shelter_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("return_document_id", sa.Integer(), nullable=True),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("travel_time_s", sa.Integer(), nullable=True),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("previous_state", sa.JSON(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=True),
        sa.Column("sent_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_by", sa.String(length=80), nullable=False),
        sa.Column("acknowledged_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=80), nullable=False),
        sa.Column("en_route_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("on_scene_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("released_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["inc_incidents.id"], name=op.f("fk_inc_orders_incident_id_inc_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_orders")),
        sa.UniqueConstraint("incident_id", "number", name=op.f("uq_inc_orders_incident_id")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_inc_orders_token_digest")),
    )
    with op.batch_alter_table("inc_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inc_orders_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_orders_region_path"), ["region_path"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_orders_sent_at"), ["sent_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_orders_shelter_id"), ["shelter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_orders_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_orders_team_id"), ["team_id"], unique=False)

    op.create_table(
        "inc_response_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("old_level", sa.String(length=3), nullable=False),
        sa.Column("new_level", sa.String(length=3), nullable=False),
        sa.Column("decided_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["inc_incidents.id"], name=op.f("fk_inc_response_changes_incident_id_inc_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_response_changes")),
    )
    with op.batch_alter_table("inc_response_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inc_response_changes_incident_id"), ["incident_id"], unique=False)

    op.create_table(
        "inc_sitreps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        sa.Column("signed_by", sa.String(length=80), nullable=False),
        sa.Column("signed_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["inc_incidents.id"], name=op.f("fk_inc_sitreps_incident_id_inc_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_sitreps")),
        sa.UniqueConstraint("incident_id", "number", name=op.f("uq_inc_sitreps_incident_id")),
    )
    with op.batch_alter_table("inc_sitreps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inc_sitreps_incident_id"), ["incident_id"], unique=False)

    op.create_table(
        "inc_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("region_path", sa.String(length=400), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("assignee_kind", sa.String(length=12), nullable=False),
        sa.Column("assignee", sa.String(length=100), nullable=False),
        sa.Column("due_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("status_note", sa.String(length=300), nullable=False),
        sa.Column("created_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["inc_incidents.id"], name=op.f("fk_inc_tasks_incident_id_inc_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_tasks")),
    )
    with op.batch_alter_table("inc_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inc_tasks_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_tasks_region_path"), ["region_path"], unique=False)

    op.create_table(
        "inc_evacuees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("shelter_id", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.Column("registered_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("registered_by", sa.String(length=80), nullable=False),
        sa.Column("over_capacity_reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["inc_incidents.id"], name=op.f("fk_inc_evacuees_incident_id_inc_incidents")
        ),
        sa.ForeignKeyConstraint(["order_id"], ["inc_orders.id"], name=op.f("fk_inc_evacuees_order_id_inc_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_evacuees")),
    )
    with op.batch_alter_table("inc_evacuees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inc_evacuees_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_evacuees_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inc_evacuees_shelter_id"), ["shelter_id"], unique=False)

    op.create_table(
        "inc_order_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=12), nullable=False),
        sa.Column("to_status", sa.String(length=12), nullable=False),
        sa.Column("at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=80), nullable=False),
        sa.Column("via", sa.String(length=8), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["inc_orders.id"], name=op.f("fk_inc_order_steps_order_id_inc_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inc_order_steps")),
    )
    with op.batch_alter_table("inc_order_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inc_order_steps_order_id"), ["order_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inc_order_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inc_order_steps_order_id"))

    op.drop_table("inc_order_steps")
    with op.batch_alter_table("inc_evacuees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inc_evacuees_shelter_id"))
        batch_op.drop_index(batch_op.f("ix_inc_evacuees_order_id"))
        batch_op.drop_index(batch_op.f("ix_inc_evacuees_incident_id"))

    op.drop_table("inc_evacuees")
    with op.batch_alter_table("inc_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inc_tasks_region_path"))
        batch_op.drop_index(batch_op.f("ix_inc_tasks_incident_id"))

    op.drop_table("inc_tasks")
    with op.batch_alter_table("inc_sitreps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inc_sitreps_incident_id"))

    op.drop_table("inc_sitreps")
    with op.batch_alter_table("inc_response_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inc_response_changes_incident_id"))

    op.drop_table("inc_response_changes")
    with op.batch_alter_table("inc_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inc_orders_team_id"))
        batch_op.drop_index(batch_op.f("ix_inc_orders_status"))
        batch_op.drop_index(batch_op.f("ix_inc_orders_shelter_id"))
        batch_op.drop_index(batch_op.f("ix_inc_orders_sent_at"))
        batch_op.drop_index(batch_op.f("ix_inc_orders_region_path"))
        batch_op.drop_index(batch_op.f("ix_inc_orders_incident_id"))

    op.drop_table("inc_orders")
    op.drop_table("inc_command")
