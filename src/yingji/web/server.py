"""How uvicorn serves Yingji: ``yingji serve`` and the live-server tests and benchmarks use the same."""

from __future__ import annotations

from typing import Any

# Seconds an idle keep-alive connection stays open on the server. It must outlast the idle time for
# which clients and the proxy in front keep a connection to reuse it (httpx: 5 s; nginx's upstream
# keepalive_timeout: 60 s by default): a server that closes first races the client, and a request sent
# on the connection at the moment it closes fails with "connection reset by peer" or "server
# disconnected without sending a response" - with nothing in the server's log, the request never having
# reached the application. uvicorn's own default, 5 s, is exactly httpx's: at 50 concurrent clients on
# PostgreSQL three page requests of a benchmark run failed that way.
KEEP_ALIVE_S = 75


def uvicorn_options() -> dict[str, Any]:
    return {
        "timeout_keep_alive": KEEP_ALIVE_S,
        # Live streams (SSE) stay open for minutes and uvicorn's graceful shutdown would wait for them:
        # on SIGTERM, give open requests a few seconds, then close them (the browser reconnects).
        "timeout_graceful_shutdown": 3,
    }
