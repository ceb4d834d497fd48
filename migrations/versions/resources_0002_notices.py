"""resources: the reorder and expiry alerts move to the shared notices inbox

Each row of res_alerts becomes one notice to the keepers of the warehouse's area (duty officers, the
township's officers); an acknowledged alert is closed. Then the table goes.

Revision ID: resources_0002
Revises: resources_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import yingji.core.db

revision: str = "resources_0002"
down_revision: str | Sequence[str] | None = "resources_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "foundation_0004_notices"

T = yingji.core.db.UTCDateTime(timezone=True)
notices = sa.table(
    "notices",
    *(sa.column(c, sa.Integer) for c in ("id", "ref_id", "recipient_id", "enterprise_id")),
    *(sa.column(c, sa.String) for c in ("dedupe_key", "source", "kind", "ref_type", "title", "body", "link")),
    *(sa.column(c, sa.String) for c in ("roles", "region_path", "addressee")),
    sa.column("created_at", T),
    sa.column("closed_at", T),
)
states = sa.table("notice_states", sa.column("notice_id", sa.Integer))
old = sa.table(
    "res_alerts",
    *(sa.column(c, sa.Integer) for c in ("id", "warehouse_id")),
    *(sa.column(c, sa.String) for c in ("key", "kind", "region_path", "message")),
    sa.column("created_at", T), sa.column("acknowledged_at", T),
)
warehouses = sa.table("res_warehouses", sa.column("id", sa.Integer))
# As in resources.service.alerts when this revision was written.
TITLES = {"reorder": "储备低于下限", "expiry": "储备物资临期"}
ROLES = ",duty_officer,township_officer,"


def upgrade() -> None:
    conn = op.get_bind()
    for r in conn.execute(sa.select(old).order_by(old.c.id)).all():
        conn.execute(
            notices.insert().values(
                dedupe_key=r.key, source="resources", kind=r.kind, ref_type="warehouse", ref_id=r.warehouse_id,
                title=TITLES.get(r.kind, "储备提醒"), body=r.message, link=f"/resources/warehouses/{r.warehouse_id}",
                recipient_id=None, roles=ROLES, region_path=r.region_path, enterprise_id=None, addressee="",
                created_at=r.created_at, closed_at=r.acknowledged_at,
            )
        )
    with op.batch_alter_table("res_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_res_alerts_warehouse_id"))
        batch_op.drop_index(batch_op.f("ix_res_alerts_region_path"))
    op.drop_table("res_alerts")


def downgrade() -> None:
    op.create_table(
        "res_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("region_path", sa.String(length=400), nullable=False),
        sa.Column("message", sa.String(length=300), nullable=False),
        sa.Column("created_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", yingji.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["res_warehouses.id"], name=op.f("fk_res_alerts_warehouse_id_res_warehouses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_res_alerts")),
        sa.UniqueConstraint("key", name=op.f("uq_res_alerts_key")),
    )
    with op.batch_alter_table("res_alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_res_alerts_region_path"), ["region_path"], unique=False)
        batch_op.create_index(batch_op.f("ix_res_alerts_warehouse_id"), ["warehouse_id"], unique=False)
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(notices)
        .join(warehouses, warehouses.c.id == notices.c.ref_id)
        .where(notices.c.source == "resources", notices.c.ref_type == "warehouse")
        .order_by(notices.c.id)
    ).all()
    for r in rows:
        conn.execute(
            old.insert().values(key=r.dedupe_key[:120], kind=r.kind[:12], warehouse_id=r.ref_id,
                                region_path=r.region_path or "", message=r.body[:300], created_at=r.created_at,
                                acknowledged_at=r.closed_at)
        )
    mine = sa.select(notices.c.id).where(notices.c.source == "resources")
    conn.execute(states.delete().where(states.c.notice_id.in_(mine)))
    conn.execute(notices.delete().where(notices.c.source == "resources"))
