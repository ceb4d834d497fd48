"""monitoring

Revision ID: monitoring_0001
Revises: 0001_foundation
Create Date: 2026-11-29 02:11:51.935012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingji.core.db

revision: str = "monitoring_0001"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("monitoring",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "monitoring_alarms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group", sa.String(length=64), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("rule_version", sa.Integer(), nullable=False),
        sa.Column("rule_name", sa.String(length=200), nullable=False),
        sa.Column("sensor_id", sa.Integer(), nullable=True),
        sa.Column("region_path", sa.String(length=255), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("peak_level", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("peak_value", sa.Float(), nullable=True),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("first_ts", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_ts", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("hold_s", sa.Integer(), nullable=False),
        sa.Column("flaps", sa.Integer(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("opened_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        sa.Column("escalated_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_alarms")),
    )
    with op.batch_alter_table("monitoring_alarms", schema=None) as batch_op:
        batch_op.create_index("ix_monitoring_alarms_key_state", ["group", "sensor_id", "state"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_alarms_region_path"), ["region_path"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_alarms_sensor_id"), ["sensor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_alarms_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_alarms_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "monitoring_readings",
        sa.Column("sensor_id", sa.Integer(), nullable=False),
        sa.Column("ts", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("cum", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("sensor_id", "ts", name=op.f("pk_monitoring_readings")),
        postgresql_partition_by="RANGE (ts)",
    )
    op.create_table(
        "monitoring_readings_hourly",
        sa.Column("sensor_id", sa.Integer(), nullable=False),
        sa.Column("hour", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("min", sa.Float(), nullable=False),
        sa.Column("max", sa.Float(), nullable=False),
        sa.Column("mean", sa.Float(), nullable=False),
        sa.Column("sum", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("sensor_id", "hour", name=op.f("pk_monitoring_readings_hourly")),
    )
    op.create_table(
        "monitoring_rejections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("sensor_code", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.String(length=500), nullable=False),
        sa.Column("at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_rejections")),
    )
    with op.batch_alter_table("monitoring_rejections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_rejections_at"), ["at"], unique=False)

    op.create_table(
        "monitoring_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("group", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("sensor_kind", sa.String(length=32), nullable=True),
        sa.Column("sensor_id", sa.Integer(), nullable=True),
        sa.Column("region_path", sa.String(length=255), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("hold_s", sa.Integer(), nullable=False),
        sa.Column("escalate_after_s", sa.Integer(), nullable=False),
        sa.Column("pack", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("created_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_rules")),
        sa.UniqueConstraint("code", name=op.f("uq_monitoring_rules_code")),
    )
    with op.batch_alter_table("monitoring_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_rules_group"), ["group"], unique=False)

    op.create_table(
        "monitoring_sensors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("station", sa.String(length=200), nullable=False),
        sa.Column("department_code", sa.String(length=64), nullable=True),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("region_path", sa.String(length=255), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("min_value", sa.Float(), nullable=False),
        sa.Column("max_value", sa.Float(), nullable=False),
        sa.Column("interval_s", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_sensors")),
        sa.UniqueConstraint("code", name=op.f("uq_monitoring_sensors_code")),
    )
    with op.batch_alter_table("monitoring_sensors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_sensors_enterprise_id"), ["enterprise_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_sensors_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_sensors_region_path"), ["region_path"], unique=False)

    op.create_table(
        "monitoring_alarm_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alarm_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["alarm_id"],
            ["monitoring_alarms.id"],
            name=op.f("fk_monitoring_alarm_events_alarm_id_monitoring_alarms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_alarm_events")),
    )
    with op.batch_alter_table("monitoring_alarm_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_alarm_events_alarm_id"), ["alarm_id"], unique=False)

    op.create_table(
        "monitoring_alarm_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alarm_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("created_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["alarm_id"],
            ["monitoring_alarms.id"],
            name=op.f("fk_monitoring_alarm_notices_alarm_id_monitoring_alarms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_alarm_notices")),
    )
    with op.batch_alter_table("monitoring_alarm_notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_alarm_notices_alarm_id"), ["alarm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_monitoring_alarm_notices_user_id"), ["user_id"], unique=False)

    op.create_table(
        "monitoring_rule_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=True),
        sa.Column("changed_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["monitoring_rules.id"],
            name=op.f("fk_monitoring_rule_versions_rule_id_monitoring_rules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_rule_versions")),
    )
    with op.batch_alter_table("monitoring_rule_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monitoring_rule_versions_rule_id"), ["rule_id"], unique=False)

    op.create_table(
        "monitoring_sensor_states",
        sa.Column("sensor_id", sa.Integer(), nullable=False),
        sa.Column("last_ts", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_value", sa.Float(), nullable=True),
        sa.Column("cum", sa.Float(), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=False),
        sa.Column("readings", sa.BigInteger(), nullable=False),
        sa.Column("alarm_level", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["sensor_id"],
            ["monitoring_sensors.id"],
            name=op.f("fk_monitoring_sensor_states_sensor_id_monitoring_sensors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sensor_id", name=op.f("pk_monitoring_sensor_states")),
    )


def downgrade() -> None:
    op.drop_table("monitoring_sensor_states")
    with op.batch_alter_table("monitoring_rule_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_rule_versions_rule_id"))

    op.drop_table("monitoring_rule_versions")
    with op.batch_alter_table("monitoring_alarm_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_alarm_notices_user_id"))
        batch_op.drop_index(batch_op.f("ix_monitoring_alarm_notices_alarm_id"))

    op.drop_table("monitoring_alarm_notices")
    with op.batch_alter_table("monitoring_alarm_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_alarm_events_alarm_id"))

    op.drop_table("monitoring_alarm_events")
    with op.batch_alter_table("monitoring_sensors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_sensors_region_path"))
        batch_op.drop_index(batch_op.f("ix_monitoring_sensors_kind"))
        batch_op.drop_index(batch_op.f("ix_monitoring_sensors_enterprise_id"))

    op.drop_table("monitoring_sensors")
    with op.batch_alter_table("monitoring_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_rules_group"))

    op.drop_table("monitoring_rules")
    with op.batch_alter_table("monitoring_rejections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_rejections_at"))

    op.drop_table("monitoring_rejections")
    op.drop_table("monitoring_readings_hourly")
    op.drop_table("monitoring_readings")
    with op.batch_alter_table("monitoring_alarms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monitoring_alarms_updated_at"))
        batch_op.drop_index(batch_op.f("ix_monitoring_alarms_state"))
        batch_op.drop_index(batch_op.f("ix_monitoring_alarms_sensor_id"))
        batch_op.drop_index(batch_op.f("ix_monitoring_alarms_region_path"))
        batch_op.drop_index("ix_monitoring_alarms_key_state")

    op.drop_table("monitoring_alarms")
