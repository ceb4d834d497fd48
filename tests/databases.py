"""Databases of the suite: the demo district is migrated and seeded once per session into a template, and
everything that needs a database of its own (the suite's shared one, a browser module's live server, a
``yingji`` subprocess) gets a copy of it, which takes well under a second where a seed takes tens.

- SQLite: the template is a file; a copy is made with SQLite's backup API (safe with WAL).
- PostgreSQL (``YINGJI_TEST_DATABASE_URL``): the template is a database of its own on that server and a copy
  is ``CREATE DATABASE … TEMPLATE``; every name carries a random part so that parallel runs never meet, and
  every database made is dropped at the end of the session.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from yingji.core.db import Database, make_engine


class DemoTemplates:
    def __init__(self, pg_url: str, tmp_dir: Path) -> None:
        self.pg_url = pg_url
        self.tmp_dir = tmp_dir
        self.run = uuid.uuid4().hex[:10]
        self._template: str | None = None
        self._made: list[str] = []

    # --- the template, made on first use ---

    def template_url(self) -> str:
        if self._template is None:
            from yingji.bootstrap import bootstrap
            from yingji.core.migrate import upgrade
            from yingji.demo import seed_demo

            bootstrap()
            url = self._new_empty("tpl")
            upgrade(url)
            database = Database.from_url(url)
            seed_demo(database)
            database.bind.dispose()  # PostgreSQL copies a template only while nobody is connected to it
            self._template = url
        return self._template

    def copy(self, label: str) -> str:
        """A URL of a new database holding the seeded demo district."""
        source = self.template_url()
        if self.pg_url:
            name = self._pg_name(label)
            self._pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(source).database}"')
            return self._pg_url_for(name)
        path = self.tmp_dir / f"{label}-{uuid.uuid4().hex[:6]}.db"
        src, dst = sqlite3.connect(make_url(source).database), sqlite3.connect(path)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        return f"sqlite:///{path}"

    def empty(self, label: str) -> str:
        """A URL of a new, empty database (no tables)."""
        return self._new_empty(label)

    def drop_all(self) -> None:
        if self.pg_url:
            for name in reversed(self._made):
                self._pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._made.clear()

    # --- PostgreSQL plumbing ---

    def _new_empty(self, label: str) -> str:
        if self.pg_url:
            name = self._pg_name(label)
            self._pg_admin(f'CREATE DATABASE "{name}"')
            return self._pg_url_for(name)
        return f"sqlite:///{self.tmp_dir / f'{label}-{uuid.uuid4().hex[:6]}.db'}"

    def _pg_name(self, label: str) -> str:
        name = f"yj_{self.run}_{label}_{uuid.uuid4().hex[:6]}"[:63]
        self._made.append(name)
        return name

    def _pg_url_for(self, name: str) -> str:
        return make_url(self.pg_url).set(database=name).render_as_string(hide_password=False)

    def _pg_admin(self, sql: str) -> None:
        admin = make_engine(self.pg_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(sql))
        finally:
            admin.dispose()
