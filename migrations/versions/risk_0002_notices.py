"""risk: the hazard notices (major-hazard report, 挂牌督办, overdue escalations) move to the shared notices inbox

Each row of risk_notices becomes one notice to the audience its kind has in ``risk.service.escalation``
(the named recipient is kept as the addressee); notices of hazards no longer waiting for rectification
are closed. Then the table goes (the recipient's phone stays on the hazard and in the SMS outbox).

Revision ID: risk_0002
Revises: risk_0001
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import yingji.core.db

revision: str = "risk_0002"
down_revision: str | Sequence[str] | None = "risk_0001"
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
    "risk_notices",
    *(sa.column(c, sa.Integer) for c in ("id", "hazard_id", "enterprise_id")),
    *(sa.column(c, sa.String) for c in ("kind", "dedupe_key", "recipient", "recipient_phone", "region_path")),
    sa.column("message", sa.Text), sa.column("created_at", T),
)
hazards = sa.table("risk_hazards", sa.column("id", sa.Integer), sa.column("status", sa.String))
# As in risk.service.escalation when this revision was written.
TITLES = {
    "major_report": "重大事故隐患报告",
    "supervision": "挂牌督办待整改",
    "overdue_responsible": "隐患逾期待整改",
    "overdue_supervisor": "隐患逾期待督促",
}
ROLES = {
    "major_report": ",duty_officer,leader,",
    "supervision": ",enterprise_manager,township_officer,",
    "overdue_responsible": ",enterprise_manager,township_officer,",
    "overdue_supervisor": ",duty_officer,township_officer,",
}
WAITING = ("reported", "confirmed", "rectifying", "reopened")


def upgrade() -> None:
    conn = op.get_bind()
    now = datetime.now(UTC)
    rows = conn.execute(
        sa.select(old, hazards.c.status).join(hazards, hazards.c.id == old.c.hazard_id).order_by(old.c.id)
    ).all()
    for r in rows:
        settled = r.status == "closed" or (r.kind != "major_report" and r.status not in WAITING)
        conn.execute(
            notices.insert().values(
                dedupe_key=f"risk:hazard:{r.hazard_id}:{r.kind}:{r.dedupe_key}", source="risk", kind=r.kind,
                ref_type="hazard", ref_id=r.hazard_id, title=TITLES.get(r.kind, "隐患通知"), body=r.message,
                link=f"/risk/hazards/{r.hazard_id}", recipient_id=None,
                roles=ROLES.get(r.kind, ",duty_officer,township_officer,"), region_path=r.region_path,
                enterprise_id=r.enterprise_id, addressee=r.recipient, created_at=r.created_at,
                closed_at=now if settled else None,
            )
        )
    with op.batch_alter_table("risk_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_notices_region_path"))
        batch_op.drop_index(batch_op.f("ix_risk_notices_hazard_id"))
        batch_op.drop_index(batch_op.f("ix_risk_notices_enterprise_id"))
    op.drop_table("risk_notices")


def downgrade() -> None:
    op.create_table(
        "risk_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hazard_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("dedupe_key", sa.String(length=80), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("recipient_phone", sa.String(length=20), nullable=True),
        sa.Column("region_path", sa.String(length=400), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", yingji.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["hazard_id"], ["risk_hazards.id"], name=op.f("fk_risk_notices_hazard_id_risk_hazards"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_notices")),
        sa.UniqueConstraint("hazard_id", "kind", "dedupe_key", name="uq_risk_notices_hazard_kind_key"),
    )
    with op.batch_alter_table("risk_notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_notices_enterprise_id"), ["enterprise_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_risk_notices_hazard_id"), ["hazard_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_risk_notices_region_path"), ["region_path"], unique=False)
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(notices)
        .join(hazards, hazards.c.id == notices.c.ref_id)
        .where(notices.c.source == "risk", notices.c.ref_type == "hazard")
        .order_by(notices.c.id)
    ).all()
    for r in rows:
        prefix = f"risk:hazard:{r.ref_id}:{r.kind}:"
        key = r.dedupe_key[len(prefix):] if r.dedupe_key.startswith(prefix) else r.dedupe_key
        conn.execute(
            old.insert().values(hazard_id=r.ref_id, kind=r.kind[:24], dedupe_key=key[:80], recipient=r.addressee,
                                recipient_phone=None, region_path=r.region_path or "", enterprise_id=r.enterprise_id,
                                message=r.body, created_at=r.created_at)
        )
    mine = sa.select(notices.c.id).where(notices.c.source == "risk")
    conn.execute(states.delete().where(states.c.notice_id.in_(mine)))
    conn.execute(notices.delete().where(notices.c.source == "risk"))
