"""Real servers on loopback for the channel tests: a threaded HTTP server (SMS gateway, webhook receiver,
broadcast endpoint) that records every request, and an aiosmtpd SMTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class _Loopback:
    """A threaded HTTP server on a free loopback port, serving a handler class until ``stop``."""

    def _serve(self, handler: type[BaseHTTPRequestHandler]) -> Any:
        # Answers leave at once, as from a cloud's API front: with Nagle's algorithm on, the body written
        # after the headers waited for the client's delayed ACK, 40 ms on every request of a kept-alive
        # connection (the batch gateway answered about 20 requests a second whatever the batch).
        handler.disable_nagle_algorithm = True
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class LoopbackHttp(_Loopback):
    """``respond(received) -> (status, json)``; default: 200 with a receipt id."""

    respond: Callable[[Received], tuple[int, Any]] | None = None
    requests: list[Received] = field(default_factory=list)

    def start(self) -> LoopbackHttp:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                rec = Received(
                    "POST", self.path, {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length)
                )
                with lock:
                    outer.requests.append(rec)
                    n = len(outer.requests)
                status, payload = outer.respond(rec) if outer.respond else (200, {"id": f"r{n}"})
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                status, payload = outer.respond(Received("GET", self.path, {}, b"")) if outer.respond else (404, {})
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        lock = threading.Lock()
        return self._serve(Handler)


class SmtpSink:
    """aiosmtpd on a free loopback port, keeping every message received."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[Any] = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.messages.append(envelope)
                return "250 OK"

        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self._port = probe.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self._port)

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    @property
    def port(self) -> int:
        return self._port

    def stop(self) -> None:
        self.controller.stop()


@dataclass
class BatchGateway(_Loopback):
    """A loopback SMS batch gateway (the ``json`` format with ``batch`` > 1): answers one result per
    message of ``{"text", "messages": [{"to", "id"}]}``. ``refuse``: phone → (code, message, permanent)
    refused inside an accepted batch; ``hold``: a callable told of each batch before the answer (a test
    kills the worker meanwhile). Keeps connections open (HTTP/1.1) like a cloud's API front."""

    refuse: dict[str, tuple[str, str, bool]] = field(default_factory=dict)
    hold: Callable[[int, list[dict[str, Any]]], None] | None = None
    keep: bool = True  # record every batch (a benchmark may count only)
    batches: list[list[dict[str, Any]]] = field(default_factory=list)
    received: int = 0

    def start(self) -> BatchGateway:
        outer = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                items = json.loads(self.rfile.read(length))["messages"]
                with lock:
                    outer.received += len(items)
                    n = len(outer.batches) + 1
                    if outer.keep:
                        outer.batches.append(items)
                if outer.hold:
                    outer.hold(n, items)
                refuse = outer.refuse
                results = []
                for m in items:
                    no = refuse.get(m["to"])
                    if no is None:
                        results.append({"id": m["id"], "ok": True, "message_id": f"b{n}-{m['id']}"})
                    else:
                        results.append({"id": m["id"], "ok": False, "code": no[0], "message": no[1],
                                        "permanent": no[2]})
                data = json.dumps({"results": results}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        return self._serve(Handler)
