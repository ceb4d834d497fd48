"""Alembic environment. The URL comes from the caller (``yingji db upgrade``) or the settings.

Each capability owns a branch of migrations (``branch_labels = ("risk",)``) rooted at the foundation, so
capabilities evolve independently; ``yingji db upgrade`` applies every head.
"""

from alembic import context
from sqlalchemy import pool

from yingji.bootstrap import load_models
from yingji.core.config import get_settings
from yingji.core.db import Base, make_engine

load_models()
config = context.config
url = config.attributes.get("url") or get_settings().resolved_database_url()
connection = config.attributes.get("connection")


def run(conn) -> None:
    context.configure(
        connection=conn,
        target_metadata=Base.metadata,
        render_as_batch=conn.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif connection is not None:
    run(connection)
else:
    engine = make_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        run(conn)
        conn.commit()
    engine.dispose()
