"""No stack trace ever reaches a user; the health check tells when the database is gone."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.testclient import TestClient


def test_unexpected_error_is_generic_on_api_and_pages(fresh_app) -> None:
    app = fresh_app  # a route is added: not on the app the other tests share
    router = APIRouter()

    @router.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    @router.get("/boom")
    def boom_page() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    app.include_router(router)
    c = TestClient(app, raise_server_exceptions=False)
    r = c.get("/api/v1/boom")
    assert r.status_code == 500
    assert r.json()["error"]["code"] == "internal_error" and "hunter2" not in r.text
    page = c.get("/boom")
    assert page.status_code == 500 and "服务器内部错误" in page.text
    assert "hunter2" not in page.text and "Traceback" not in page.text


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path) -> None:
    from yingji.app import create_app
    from yingji.core.config import Settings
    from yingji.core.db import Database

    dead = Database.from_url("postgresql://nobody@127.0.0.1:1/none?connect_timeout=1")
    app = create_app(settings=Settings(data_dir=tmp_path, secret_key="x"), database=dead)
    r = TestClient(app, raise_server_exceptions=False).get("/healthz")
    assert r.status_code == 503 and r.json()["database"] == "unreachable"


def test_wrong_method_and_validation_errors_have_the_shape(api) -> None:
    c = api("duty")
    r = c.put("/api/v1/registry/enterprises")
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"
    r = c.get("/api/v1/geo/regions?page=0")
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "page"
