"""The generations are read once for all the requests waiting at that moment (``core.generations``), and
never answer a request with a read that began before it came."""

from __future__ import annotations

import asyncio
import threading

from sqlalchemy import delete
from sqlalchemy.orm import Session

from tests import aio
from yingji.core import layercache
from yingji.core.generations import GenerationReader
from yingji.core.layercache import LayerVersion


class GatedReader(GenerationReader):
    """A reader whose query is held until the test lets it go, answering what was committed when it began."""

    def __init__(self) -> None:
        super().__init__(bind=None)  # type: ignore[arg-type]
        self.committed = 0
        self.began = threading.Semaphore(0)
        self.gate = threading.Event()
        self.fail = False

    def _query(self) -> dict[str, int]:
        self.reads += 1
        seen = self.committed
        self.began.release()
        self.gate.wait(10)
        if self.fail:
            raise RuntimeError("database gone")
        return {"x": seen}


async def began(reader: GatedReader) -> None:
    while not reader.began.acquire(blocking=False):
        await asyncio.sleep(0.001)


def test_requests_that_come_together_share_one_read():
    async def scenario() -> None:
        reader = GatedReader()
        reader.gate.set()
        answers = await asyncio.gather(*(reader.read() for _ in range(20)))
        assert answers == [{"x": 0}] * 20
        assert reader.reads == 1

    aio.run(scenario())


def test_a_request_that_comes_during_a_read_waits_for_the_next_one():
    async def scenario() -> None:
        reader = GatedReader()
        first = asyncio.create_task(reader.read())
        await began(reader)
        reader.committed = 1  # a write committed after the first read began, before the next requests came
        late = [asyncio.create_task(reader.read()) for _ in range(5)]
        await asyncio.sleep(0.01)
        assert reader.reads == 1  # the late ones do not start reads of their own
        reader.gate.set()
        assert await first == {"x": 0}
        assert [await t for t in late] == [{"x": 1}] * 5  # one more read, begun after they came
        assert reader.reads == 2

    aio.run(scenario())


def test_a_request_that_leaves_does_not_cancel_the_read_of_the_others():
    async def scenario() -> None:
        reader = GatedReader()
        leaving = asyncio.create_task(reader.read())
        staying = asyncio.create_task(reader.read())
        await began(reader)
        leaving.cancel()
        await asyncio.sleep(0)
        reader.gate.set()
        assert await staying == {"x": 0}

    aio.run(scenario())


def test_a_failed_read_fails_its_waiters_and_the_next_read_is_made_afresh():
    async def scenario() -> None:
        reader = GatedReader()
        reader.fail = True
        reader.gate.set()
        results = await asyncio.gather(reader.read(), reader.read(), return_exceptions=True)
        assert all(isinstance(r, RuntimeError) for r in results)
        reader.fail = False
        assert await reader.read() == {"x": 0}

    aio.run(scenario())


def test_a_commit_of_another_connection_is_seen_by_the_next_read(engine):
    # The reader's own connection of the engine (no transaction held: PostgreSQL autocommit, SQLite
    # without BEGIN) sees a commit made elsewhere after its previous read.
    reader = GenerationReader(engine)
    layer = "test:generations-reader"
    try:
        before = aio.run(reader.read()).get(layer, 0)
        with engine.begin() as conn, Session(bind=conn) as s:
            layercache.bump(s, layer)
            s.flush()
        assert aio.run(reader.read())[layer] == before + 1
    finally:
        reader.close()
        with engine.begin() as conn:
            conn.execute(delete(LayerVersion).where(LayerVersion.name == layer))
