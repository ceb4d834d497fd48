"""The server keeps an idle connection open longer than its clients keep it for reuse, so that a client
never sends a request on a connection the server is closing at that very moment. With uvicorn's default
(5 s, the idle time httpx keeps a connection for) a benchmark on PostgreSQL at 50 concurrent clients
saw three requests fail with "connection reset by peer" / "server disconnected without sending a
response", and nothing in the server's log."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn
from fastapi import FastAPI

from yingji.web.server import KEEP_ALIVE_S, uvicorn_options

HTTPX_KEEPALIVE_EXPIRY_S = 5.0  # httpx.Limits() default: how long httpx keeps an idle connection
NGINX_UPSTREAM_KEEPALIVE_S = 60  # nginx keepalive_timeout of an upstream block, by default


def test_the_server_outlasts_its_clients_idle_connections() -> None:
    assert max(HTTPX_KEEPALIVE_EXPIRY_S, NGINX_UPSTREAM_KEEPALIVE_S) < KEEP_ALIVE_S


def _request(sock: socket.socket) -> bytes:
    sock.sendall(b"GET /ping HTTP/1.1\r\nHost: test\r\n\r\n")
    sock.settimeout(5)
    data = b""
    while b"pong" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


@pytest.mark.slow
def test_a_connection_idle_as_long_as_a_client_keeps_it_still_answers() -> None:
    app = FastAPI()

    @app.get("/ping")
    def ping() -> dict[str, str]:
        return {"answer": "pong"}

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **uvicorn_options()))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        with socket.create_connection(("127.0.0.1", port)) as sock:
            assert b"pong" in _request(sock)
            time.sleep(HTTPX_KEEPALIVE_EXPIRY_S + 1)  # idle a little longer than httpx would reuse it
            try:
                again = _request(sock)
            except OSError as exc:  # reset by the server
                again = repr(exc).encode()
            assert b"pong" in again, again
    finally:
        server.should_exit = True
        thread.join(10)
