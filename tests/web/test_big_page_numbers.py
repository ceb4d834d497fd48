"""Page numbers past the database's integer range: every list of the API answers 422 naming ``page``, every
list page (HTML) shows its nearest page; never a 500. Runs on SQLite and, with ``YINGJI_TEST_DATABASE_URL``,
on PostgreSQL, whose OFFSET is a signed 64-bit integer (9223372036854775807 is its largest)."""

from __future__ import annotations

import inspect

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

BIG = ("9223372036854775807", "9223372036854775808", str(10**30))


def list_operations(app) -> list[str]:
    """Every GET of the OpenAPI that takes ``page`` and has no path parameter (those with one are the lists
    of one record's children: same ``Paging`` dependency)."""
    paths = []
    for path, item in app.openapi()["paths"].items():
        get = item.get("get")
        if get and "{" not in path and any(p["name"] == "page" for p in get.get("parameters", [])):
            paths.append(path)
    return paths


def list_pages(app) -> list[str]:
    """Every HTML route (outside the OpenAPI) whose endpoint takes ``page`` and has no path parameter."""
    paths = []
    for route in iter_route_contexts(app.routes):
        if (isinstance(route.original_route, APIRoute) and not route.include_in_schema and "GET" in route.methods
                and "{" not in route.path and "page" in inspect.signature(route.endpoint).parameters):
            paths.append(route.path)
    return paths


def test_every_api_list_refuses_a_page_past_the_integer_range(app, api) -> None:
    paths = list_operations(app)
    assert len(paths) > 30, paths  # the whole API's lists, not a part of them
    admin = api("admin")
    for path in paths:
        for page in BIG:
            r = admin.get(path, params={"page": page})
            assert r.status_code == 422, f"{path}?page={page} → {r.status_code} {r.text[:200]}"
            assert any(d["field"].endswith("page") for d in r.json()["error"]["details"]), (path, r.text)


@pytest.mark.parametrize("page", BIG)
def test_every_list_page_shows_its_nearest_page(app, page_client, page) -> None:
    paths = list_pages(app)
    assert len(paths) > 10, paths
    admin = page_client("admin")
    for path in paths:
        r = admin.get(path, params={"page": page})
        assert r.status_code == 200, f"{path}?page={page} → {r.status_code} {r.text[:300]}"
