"""Every migration runs up and down, on SQLite and (when configured) PostgreSQL, and the migrations
create exactly the tables the models describe."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from tests.conftest import pg_schema
from yingji.bootstrap import load_models
from yingji.core.db import Base, make_engine
from yingji.core.migrate import alembic_config, downgrade, upgrade

PG_URL = os.environ.get("YINGJI_TEST_DATABASE_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    if not PG_URL:
        pytest.skip("YINGJI_TEST_DATABASE_URL not set")
    with pg_schema("m") as url:
        yield url


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_every_migration_up_and_down(empty_url: str) -> None:
    load_models()
    script = ScriptDirectory.from_config(alembic_config(empty_url))
    revisions = list(script.walk_revisions())
    assert revisions, "no migrations found"
    upgrade(empty_url)
    assert _tables(empty_url) == set(Base.metadata.tables)
    # Step down one revision at a time to the base, then all the way up again.
    for _ in revisions:
        downgrade(empty_url, "-1") if len(script.get_heads()) == 1 else downgrade(empty_url, "base")
        if not _tables(empty_url):
            break
    downgrade(empty_url, "base")
    assert _tables(empty_url) == set()
    upgrade(empty_url)
    assert _tables(empty_url) == set(Base.metadata.tables)


# Created by migration warnings_0008 only where PostGIS is available (dropped again by warnings_0010), so
# outside the models.
NOT_MODELLED = {"ix_warning_subscribers_geom"}


def _modelled(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "index" and name in NOT_MODELLED)


def test_models_and_migrations_agree(empty_url: str) -> None:
    load_models()
    upgrade(empty_url)
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        opts = {"compare_type": False, "include_object": _modelled}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)
    engine.dispose()
    assert diff == [], f"models differ from migrations: {diff}"
