"""A lean HTTP/1.1 load generator for the page benchmarks: client processes (so that the clients do not
share the server's GIL, nor one another's), each holding keep-alive connections that send one GET after
another for a fixed time, spread over one or more servers. httpx would spend more CPU per request than a
hello app does on the 2-core machine, and measure itself."""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from dataclasses import dataclass, field


@dataclass
class Result:
    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, of the requests answered 2xx/3xx/304
    errors: dict[str, int] = field(default_factory=dict)  # status or exception → count

    @property
    def done(self) -> int:
        return len(self.latencies)

    def rate(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def percentile_ms(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


async def _connection(port: int, request: bytes, until: float, out: Result) -> None:
    reader = writer = None
    while time.monotonic() < until:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            t0 = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            close = False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            if length:
                await reader.readexactly(length)
            elapsed = time.perf_counter() - t0
            if status < 400:
                out.latencies.append(elapsed)
            else:
                out.errors[str(status)] = out.errors.get(str(status), 0) + 1
            if close:
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            name = type(exc).__name__
            out.errors[name] = out.errors.get(name, 0) + 1
            if writer is not None:
                writer.close()
            writer = None
            await asyncio.sleep(0.01)
    if writer is not None:
        writer.close()


def _client(ports: list[int], path: str, headers: dict[str, str], connections: int, seconds: float, queue) -> None:
    async def main() -> Result:
        out = Result(seconds)
        until = time.monotonic() + seconds
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        tasks = []
        for i in range(connections):
            port = ports[i % len(ports)]
            request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}\r\n".encode()
            tasks.append(_connection(port, request, until, out))
        await asyncio.gather(*tasks)
        return out

    r = asyncio.run(main())
    queue.put((r.latencies, r.errors))


def run(ports: list[int], path: str, *, connections: int, seconds: float, headers: dict[str, str] | None = None,
        processes: int = 2) -> Result:
    """``connections`` keep-alive connections in ``processes`` client processes, spread over ``ports``,
    each sending GET ``path`` back to back for ``seconds``."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    share = [connections // processes + (1 if i < connections % processes else 0) for i in range(processes)]
    # Each process starts on another server, so that with two servers both get half the connections.
    procs = [ctx.Process(target=_client, args=(ports[i % len(ports):] + ports[: i % len(ports)], path,
                                                  headers or {}, n, seconds, queue))
             for i, n in enumerate(share) if n]
    for p in procs:
        p.start()
    total = Result(seconds)
    for _ in procs:
        latencies, errors = queue.get()
        total.latencies += latencies
        for k, v in errors.items():
            total.errors[k] = total.errors.get(k, 0) + v
    for p in procs:
        p.join()
    return total
