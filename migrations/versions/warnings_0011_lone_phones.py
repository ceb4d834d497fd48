"""warnings: ``phone_alone`` on the subscribers (no other row has the phone: the count of different phones
counts the row without reading its phone), set for the rows already there, and a partial index of the
rows not alone (the only ones whose phones the count reads)

Revision ID: warnings_0011
Revises: warnings_0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "warnings_0011"
down_revision: str | Sequence[str] | None = "warnings_0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHARED_INDEX = "ix_warning_subscribers_shared"
SHARED_COLUMNS = ["cell", "status", "event_types", "phone"]
# service.lone_phones.settle_all_sql as it was written with this migration (a migration does not change
# with the code): a phone of 1 to 18 digits that no other row has as the same number.
DIGITS = {"sqlite": "phone NOT GLOB '*[^0-9]*'", "postgresql": "phone ~ '^[0-9]*$'"}


def _settle_sql(dialect: str) -> str:
    keyed = f"{DIGITS.get(dialect, DIGITS['postgresql'])} AND length(phone) BETWEEN 1 AND 18"
    alone = (f"({keyed} AND ltrim(phone, '0') IN (SELECT ltrim(phone, '0') FROM warning_subscribers"
             f" WHERE {keyed} GROUP BY ltrim(phone, '0') HAVING count(*) = 1))")
    return f"UPDATE warning_subscribers SET phone_alone = {alone} WHERE phone_alone <> {alone}"


def upgrade() -> None:
    op.add_column("warning_subscribers",
                  sa.Column("phone_alone", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(_settle_sql(op.get_bind().dialect.name))
    op.create_index(SHARED_INDEX, "warning_subscribers", SHARED_COLUMNS, sqlite_where=sa.text("phone_alone = 0"),
                    postgresql_where=sa.text("NOT phone_alone"))


def downgrade() -> None:
    op.drop_index(SHARED_INDEX, table_name="warning_subscribers")
    with op.batch_alter_table("warning_subscribers") as batch:
        batch.drop_column("phone_alone")
