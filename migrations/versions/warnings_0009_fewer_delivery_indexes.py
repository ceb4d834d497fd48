"""warnings: three indexes of the delivery rows dropped (each was written for every row inserted and
for every update of it: claimed, then sent)

``ix_warning_deliveries_due`` (status, available_at) served the claim before the partial index of the
open rows (warnings_0007) took its place; ``warning_id`` alone is the first column of the unique
(warning, channel, address) key and of the (warning, recipient) index; no query looks rows up by
``village_code`` alone (the figures by village are read per warning).

Revision ID: warnings_0009
Revises: warnings_0008
"""

from collections.abc import Sequence

from alembic import op

revision: str = "warnings_0009"
down_revision: str | Sequence[str] | None = "warnings_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_warning_deliveries_due", table_name="warning_deliveries")
    op.drop_index("ix_warning_deliveries_warning_id", table_name="warning_deliveries")
    op.drop_index("ix_warning_deliveries_village_code", table_name="warning_deliveries")


def downgrade() -> None:
    op.create_index("ix_warning_deliveries_village_code", "warning_deliveries", ["village_code"])
    op.create_index("ix_warning_deliveries_warning_id", "warning_deliveries", ["warning_id"])
    op.create_index("ix_warning_deliveries_due", "warning_deliveries", ["status", "available_at"])
