"""Databases of the suite: the demo district is migrated and seeded once per session into a template, and
everything that needs a database of its own (the suite's shared one, a browser module's live server, a
``yingji`` subprocess) gets a copy of it, which takes well under a second where a seed takes tens.

- SQLite: the template is a file; a copy is made with SQLite's backup API (safe with WAL).
- PostgreSQL (``YINGJI_TEST_DATABASE_URL``): the template is a database of its own on that server and a copy
  is ``CREATE DATABASE … TEMPLATE``; every name carries a random part so that parallel runs never meet, and
  every database made is dropped at the end of the session.

A seed costs one to three minutes on the shared machine, so it is made once per *run*, not once per
process: given a ``shared`` directory (the one the xdist controller makes for its workers, or
``YINGJI_TEST_TEMPLATE_DIR``, which ``make test`` sets for its SQLite pass and the timing tests after it),
the first process to need the template seeds it there under a file lock and the others copy it. A shared
PostgreSQL template is dropped by whoever made the directory (``drop_shared``), not by the worker that
seeded it, since the other workers still copy it.
"""

from __future__ import annotations

import fcntl
import sqlite3
import time
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from yingji.core.db import Database, make_engine


class DemoTemplates:
    def __init__(self, pg_url: str, tmp_dir: Path, shared: Path | None = None) -> None:
        self.pg_url = pg_url
        self.tmp_dir = tmp_dir
        self.shared = shared
        self.run = uuid.uuid4().hex[:10]
        self._template: str | None = None
        self._made: list[str] = []

    # --- the template, made on first use (once per run when a shared directory is given) ---

    def template_url(self) -> str:
        if self._template is None:
            if self.shared is None:
                self._template = self._seed(self.tmp_dir)
            else:
                # One seed for every process of the run: the first one seeds, the others wait and copy.
                record = self.shared / ("template-postgresql.url" if self.pg_url else "template-sqlite.url")
                with open(self.shared / "template.lock", "w") as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX)
                    if not record.exists():
                        url = self._seed(self.shared)
                        if self.pg_url:
                            self._made.remove(make_url(url).database)  # drop_shared drops it, at the run's end
                        record.write_text(url)
                    self._template = record.read_text()
        return self._template

    def _seed(self, directory: Path) -> str:
        from yingji.bootstrap import bootstrap
        from yingji.core.migrate import upgrade
        from yingji.demo import seed_demo

        bootstrap()
        url = self._new_empty("tpl", directory)
        upgrade(url)
        database = Database.from_url(url)
        seed_demo(database)
        database.bind.dispose()  # PostgreSQL copies a template only while nobody is connected to it
        return url

    @staticmethod
    def drop_shared(pg_url: str, shared: Path) -> None:
        """Drops the PostgreSQL template seeded in ``shared``, if one was (the SQLite one goes with the directory)."""
        record = shared / "template-postgresql.url"
        if pg_url and record.exists():
            DemoTemplates(pg_url, shared)._pg_admin(
                f'DROP DATABASE IF EXISTS "{make_url(record.read_text()).database}" WITH (FORCE)'
            )

    def copy(self, label: str) -> str:
        """A URL of a new database holding the seeded demo district."""
        source = self.template_url()
        if self.pg_url:
            name = self._pg_name(label)
            sql = f'CREATE DATABASE "{name}" TEMPLATE "{make_url(source).database}"'
            for attempt in range(20):
                try:
                    self._pg_admin(sql)
                    break
                except Exception as exc:  # another process's copy still starting up on the template: retry
                    if "is being accessed by other users" not in str(exc) or attempt == 19:
                        raise
                    time.sleep(0.5)
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
        return self._new_empty(label, self.tmp_dir)

    def drop_all(self) -> None:
        if self.pg_url:
            for name in reversed(self._made):
                self._pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._made.clear()

    # --- PostgreSQL plumbing ---

    def _new_empty(self, label: str, directory: Path) -> str:
        if self.pg_url:
            name = self._pg_name(label)
            self._pg_admin(f'CREATE DATABASE "{name}"')
            return self._pg_url_for(name)
        return f"sqlite:///{directory / f'{label}-{uuid.uuid4().hex[:6]}.db'}"

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
