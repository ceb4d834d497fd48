"""A database of its own (committed data, seen by other processes): a temporary SQLite file, or a fresh
schema on PostgreSQL when the suite runs there. Migrated; holds no demo data."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from tests.conftest import PG_URL, with_search_path
from yingji.core.db import Database, make_engine
from yingji.core.migrate import upgrade
from yingji.warnings.models import Delivery, WarningMessage
from yingji.warnings.service import tally


@contextmanager
def fresh_database(tmp_path: Path, *, pg_url: str | None = None) -> Iterator[tuple[str, Database]]:
    """``pg_url``: the PostgreSQL server to use (default: the suite's, when it runs on PostgreSQL)."""
    pg_url = PG_URL if pg_url is None else pg_url
    if pg_url:
        schema = f"w_{uuid.uuid4().hex[:12]}"
        admin = make_engine(pg_url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = with_search_path(pg_url, schema)
    else:
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    database = Database(make_engine(url))
    try:
        yield url, database
    finally:
        database.bind.dispose()
        if pg_url:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def published_with_deliveries(database: Database, n: int, *, channel: str = "sms") -> int:
    """A published warning and ``n`` pending SMS deliveries, committed; returns the warning id."""
    now = datetime.now(UTC)
    with database.transaction() as db:
        w = WarningMessage(
            identifier=f"45020600000000_{uuid.uuid4().hex[:14]}",
            sender="yjj.test",
            msg_type="Alert",
            status="published",
            origin="local",
            event_type="rainstorm",
            level="orange",
            headline="测试暴雨橙色预警",
            description="测试",
            instruction="",
            effective=now,
            expires=now + timedelta(hours=6),
            area={"regions": ["450206000000"]},
            area_desc="测试",
            village_codes=[],
            region_path="450206000000",
            department="测试",
            created_at=now,
            published_at=now,
        )
        db.add(w)
        db.flush()
        db.execute(
            insert(Delivery),
            [
                {
                    "warning_id": w.id,
                    "recipient_kind": "subscriber",
                    "recipient_ref": f"subscriber:{i}",
                    "name": "",
                    "channel": channel,
                    "address": f"138{i:08d}",
                    "fallbacks": {},
                    "village_code": None,
                    "status": "pending",
                    "attempts": 0,
                    "available_at": now,
                    "created_at": now,
                }
                for i in range(n)
            ],
        )
        tally.recount(db, w.id)  # rows written directly: their running figures counted once
        return w.id
