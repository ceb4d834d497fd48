"""plans: who answers for a plan (person and phone) and a trainee's phone, for reminders by SMS

Revision ID: plans_0002
Revises: plans_0001
Create Date: 2026-12-02 06:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "plans_0002"
down_revision: str | Sequence[str] | None = "plans_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plan_plans") as batch:
        batch.add_column(sa.Column("responsible_person", sa.String(length=50), nullable=False, server_default=""))
        batch.add_column(sa.Column("responsible_phone", sa.String(length=20), nullable=False, server_default=""))
    with op.batch_alter_table("plan_trainees") as batch:
        batch.add_column(sa.Column("phone", sa.String(length=20), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("plan_trainees") as batch:
        batch.drop_column("phone")
    with op.batch_alter_table("plan_plans") as batch:
        batch.drop_column("responsible_phone")
        batch.drop_column("responsible_person")
