"""A server process takes what it built before serving out of the cyclic garbage collector's sight
(``app.settle_heap``): every full collection walked some 340,000 objects that live as long as the process,
115 ms during which no request was answered (the slowest 1 % of the dashboard's requests under load). A
test's app is not frozen: what is frozen is never collected."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from yingji.cli import app as cli


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # this test process goes on: its objects stay collectable


def test_yingji_serve_freezes_the_app_before_it_serves(demo_env, unfrozen, monkeypatch):
    frozen = []
    monkeypatch.setattr(uvicorn, "run", lambda *_a, **_k: frozen.append(gc.get_freeze_count()))
    result = CliRunner().invoke(cli, ["serve", "--no-workers"])
    assert result.exit_code == 0, result.output
    assert frozen and frozen[0] > 100_000  # the routes, models and schemas of every capability


def test_each_process_of_serve_workers_freezes_its_app(demo_env, unfrozen):
    from yingji.app import app_from_settings

    app_from_settings()
    assert gc.get_freeze_count() > 100_000


def test_an_app_started_in_a_test_is_not_frozen(fresh_app, unfrozen):
    with TestClient(fresh_app) as c:
        assert c.get("/healthz").status_code == 200
    assert gc.get_freeze_count() == 0
