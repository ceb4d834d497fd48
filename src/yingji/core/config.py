"""Settings from the environment (prefix ``YINGJI_``), with defaults for the embedded set-up."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="YINGJI_", extra="ignore")

    # Where the SQLite file, attachments and the generated secret key live.
    data_dir: Path = Path("var")
    # Empty means the embedded SQLite file ``<data_dir>/yingji.db``.
    database_url: str = ""
    # Signs nothing by itself (sessions are server-side) but seeds CSRF and token hashing.
    # Empty means: generated once and kept in ``<data_dir>/secret_key``.
    secret_key: str = ""
    timezone: str = "Asia/Shanghai"
    # Where ``yingji serve`` listens (its --host/--port default to these); ``yingji simulate`` finds the
    # server here too. ``server_url`` overrides the address clients use (e.g. behind a proxy).
    host: str = "127.0.0.1"
    port: int = 8000
    server_url: str = ""

    session_ttl_s: int = 8 * 3600
    token_ttl_s: int = 12 * 3600
    # Failed logins: after ``login_slowdown_after`` failures each try waits 2^(n - slowdown) s
    # (capped at 60 s); after ``login_lock_after`` the account is locked for ``login_lock_s``.
    login_slowdown_after: int = 3
    login_lock_after: int = 8
    login_lock_s: int = 15 * 60

    # Served over HTTPS (behind a reverse proxy): cookies are marked Secure and HSTS is sent. A request
    # that arrives as https (uvicorn trusts X-Forwarded-Proto from the proxy) gets both anyway.
    secure_cookies: bool = False
    mqtt_url: str = ""
    # The MQTT subscriber's stable client id (its persistent session on the broker), the topic prefix it
    # subscribes under (``<prefix>+``), and how long the broker keeps the session while it is away.
    mqtt_client_id: str = "yingji-ingest"
    mqtt_topic_prefix: str = "yingji/readings/"
    mqtt_session_expiry_s: int = 7 * 24 * 3600
    # A shared subscription group (MQTT 5 ``$share/<group>/<prefix>+``): the ingesting processes of one
    # group split the stream, each message going to one of them. Each process then needs a client id of
    # its own (``YINGJI_MQTT_CLIENT_ID``: ingest-1, ingest-2 …). Empty: a plain subscription.
    mqtt_share_group: str = ""
    max_upload_bytes: int = Field(default=10 * 1024 * 1024)
    # Request bodies, refused with 413 while they are read: readings batches (up to 10,000 readings),
    # spreadsheet/CAP/road-network imports (one file), uploads (a few photos), everything else.
    max_readings_body_bytes: int = 8 * 1024 * 1024
    max_import_body_bytes: int = 12 * 1024 * 1024
    max_upload_body_bytes: int = 32 * 1024 * 1024
    max_body_bytes: int = 1024 * 1024

    def resolved_server_url(self) -> str:
        if self.server_url:
            return self.server_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}"

    # Base maps of the 一张图 map (see docs/foundation.md, map section): a JSON list of XYZ / WMTS tile
    # sources, and a local MBTiles / PMTiles file served at /tiles for a fully offline map.
    map_basemaps: list[dict[str, Any]] = Field(default_factory=list)
    map_tiles: str = ""
    map_tiles_crs: str = "wgs84"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(self.data_dir / 'yingji.db').resolve()}"

    def resolved_secret_key(self) -> str:
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
