"""Browser sessions kept in this process between page requests, as long as no session and no user was
written since.

A page kept per viewer (the dashboard) needs to know who asks: the session with its user, one query per
request. Every write of ``web_sessions`` (a login, a logout, an expired session purged, a user's sessions
ended) and of ``users`` (a role, a region, an account switched off) moves a generation in its own
transaction (``__generation__`` on both models, ``core.layercache``), read by the request after it came
(``core.generations``): a kept session is used only while both generations are those it was read under,
so a logout or a role change takes effect on the next request in every process. Its expiry is checked
against the clock at each use. A write that bypasses the ORM session (raw SQL from a console) moves no
generation: a kept session is read again after ``KEEP_S`` seconds at the latest.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request

from yingji.core import layercache
from yingji.core.clock import utcnow
from yingji.core.security import token_digest
from yingji.web.deps import SESSION_COOKIE, UserView

SESSION_LAYERS = (layercache.rows_layer("web_sessions"), layercache.rows_layer("users"))
KEEP_S = 5.0  # bounds what no generation announces; one query per viewer and process that often is nothing


@dataclass(frozen=True)
class KeptSession:
    user: UserView
    csrf_token: str
    kept_until: datetime  # the session's expiry, or KEEP_S after it was read if that comes first
    generations: tuple[int, ...]  # of SESSION_LAYERS, read before the session was


def _of(generations: Mapping[str, int]) -> tuple[int, ...]:
    return layercache.versions_in(generations, SESSION_LAYERS)


class SessionCache:
    MAX_ENTRIES = 4096  # sessions of this process; the oldest kept goes first

    def __init__(self) -> None:
        self._entries: dict[str, KeptSession] = {}  # by the token's digest, as the table keeps it
        self._mutex = threading.Lock()

    def get(self, token: str | None, generations: Mapping[str, int]) -> KeptSession | None:
        """The session of ``token`` if it was kept under these ``generations`` and has not expired."""
        if not token:
            return None
        kept = self._entries.get(token_digest(token))
        if kept is None or kept.generations != _of(generations) or kept.kept_until <= utcnow():
            return None
        return kept

    def keep(self, token: str, kept: KeptSession) -> None:
        digest = token_digest(token)
        with self._mutex:
            if len(self._entries) >= self.MAX_ENTRIES and digest not in self._entries:
                self._entries.pop(next(iter(self._entries)))
            self._entries[digest] = kept


def session_cache(request: Request) -> SessionCache:
    cache = getattr(request.app.state, "session_cache", None)
    if cache is None:
        cache = request.app.state.session_cache = SessionCache()
    return cache


def kept_session(request: Request, generations: Mapping[str, int]) -> KeptSession | None:
    return session_cache(request).get(request.cookies.get(SESSION_COOKIE), generations)


def keep_session(request: Request, generations: Mapping[str, int]) -> None:
    """Keeps the session ``page_user_optional`` just resolved. ``generations`` must have been read before
    it was: a write between the two then shows as a newer generation, never as a stale session kept."""
    token = request.cookies.get(SESSION_COOKIE)
    expires_at = getattr(request.state, "session_expires_at", None)
    if token and expires_at is not None:
        until = min(expires_at, utcnow() + timedelta(seconds=KEEP_S))
        session_cache(request).keep(
            token, KeptSession(request.state.user, request.state.csrf_token, until, _of(generations))
        )
