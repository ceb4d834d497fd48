"""warnings: the subscribers' grid cell and its index (resolution by cells); on PostgreSQL with PostGIS
available, the extension and a GiST index on the subscribers' points

Revision ID: warnings_0008
Revises: warnings_0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "warnings_0008"
down_revision: str | Sequence[str] | None = "warnings_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CELL_COLUMNS = ["cell", "status", "event_types", "phone", "village_code", "lon", "lat"]
AREA_COLUMNS = ["lon", "lat", "status", "event_types", "phone", "village_code"]
GIST = "ix_warning_subscribers_geom"  # outside the models: it exists only where PostGIS does
# models.cell_of in SQL (the same floating-point steps: the same cell for the same point).
CELL_SQL = {
    "sqlite": "CAST((lon + 180.0) * 500 AS INTEGER) * 1000000 + CAST((lat + 90.0) * 500 AS INTEGER)",
    "postgresql": "CAST(FLOOR((lon + 180.0) * 500) AS BIGINT) * 1000000 + CAST(FLOOR((lat + 90.0) * 500) AS BIGINT)",
}


def _postgis_schema(bind) -> str | None:
    """The schema of PostGIS in this database, created in ``public`` when the server offers it; None when
    it does not (resolution then works by cells alone)."""
    find = "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'postgis'"
    schema = bind.execute(sa.text(find)).scalar()
    if schema is None:
        if not bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).scalar():
            return None
        # In ``public``, not in the schema being migrated: an extension exists once per database, and a
        # schema dropped with CASCADE would take it away from every other schema.
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public"))
        schema = bind.execute(sa.text(find)).scalar()
    return schema


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    op.add_column("warning_subscribers", sa.Column("cell", sa.BigInteger(), nullable=True))
    op.execute(
        f"UPDATE warning_subscribers SET cell = {CELL_SQL.get(dialect, CELL_SQL['postgresql'])} "
        "WHERE lon IS NOT NULL AND lat IS NOT NULL"
    )
    op.create_index("ix_warning_subscribers_cell", "warning_subscribers", CELL_COLUMNS)
    op.drop_index("ix_warning_subscribers_area", table_name="warning_subscribers")  # the cells' takes its place
    if dialect == "postgresql" and (s := _postgis_schema(bind)) is not None:
        op.execute(
            f"CREATE INDEX {GIST} ON warning_subscribers USING gist "
            f"({s}.st_setsrid({s}.st_makepoint(lon, lat), 4326))"
        )


def downgrade() -> None:
    op.execute(f"DROP INDEX IF EXISTS {GIST}")  # the extension stays: other schemas may use it
    op.create_index("ix_warning_subscribers_area", "warning_subscribers", AREA_COLUMNS)
    op.drop_index("ix_warning_subscribers_cell", table_name="warning_subscribers")
    with op.batch_alter_table("warning_subscribers") as batch:
        batch.drop_column("cell")
