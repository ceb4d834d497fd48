"""warnings: the GiST index of the subscribers' points dropped (resolution reads the grid cells on every
engine: on PostgreSQL with PostGIS the index was slower for the count and for the streamed targets,
README "Recipients inside a polygon"); the extension stays, other schemas of the database may use it

Revision ID: warnings_0010
Revises: warnings_0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "warnings_0010"
down_revision: str | Sequence[str] | None = "warnings_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GIST = "ix_warning_subscribers_geom"  # warnings_0008 made it where the server had PostGIS


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {GIST}")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'postgis'"
    )).scalar()
    if schema is not None:  # as warnings_0008 left it
        op.execute(f"CREATE INDEX {GIST} ON warning_subscribers USING gist "
                   f"({schema}.st_setsrid({schema}.st_makepoint(lon, lat), 4326))")
