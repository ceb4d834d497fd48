"""Search and lists that mean what they say: a ``q=`` of ``_`` or ``%`` matches those characters only (not
every record, as an unescaped LIKE pattern would), and every list of the API answers the paged envelope
``{items, total, page, page_size}``."""

from __future__ import annotations

import pytest

from yingji.core.actor import SYSTEM
from yingji.registry import service as registry_service
from yingji.registry.schemas import EnterpriseCreate
from yingji.registry.standards import uscc_check_char

ENVELOPE = {"items", "total", "page", "page_size"}


def _uscc(seed: str) -> str:
    body = ("91450206" + seed + "000000000")[:17]
    return body + uscc_check_char(body)


# Every searchable list of the API, with the text field its q= matches in an item.
SEARCHES = [
    ("/api/v1/registry/enterprises", "name"),
    ("/api/v1/registry/people", "name"),
    ("/api/v1/geo/regions", "name"),
    ("/api/v1/monitoring/sensors", "name"),
    ("/api/v1/resources/teams", "name"),
    ("/api/v1/resources/experts", "name"),
    ("/api/v1/resources/shelters", "name"),
    ("/api/v1/resources/materials", "name"),
]


@pytest.mark.parametrize(("url", "field"), SEARCHES)
@pytest.mark.parametrize("q", ["_", "%"])
def test_wildcards_in_q_match_only_themselves(api, url: str, field: str, q: str) -> None:
    duty = api("duty")
    everything = duty.get(url, params={"page_size": 500})
    assert everything.status_code == 200, everything.text
    assert everything.json()["total"] > 0, url  # the demo district has records of every kind
    r = duty.get(url, params={"q": q, "page_size": 500})
    assert r.status_code == 200, r.text
    body = r.json()
    # No demo name contains "_" or "%": a literal match finds nothing, a wildcard match finds everything.
    assert [i[field] for i in body["items"]] == []
    assert body["total"] == 0


def test_a_name_with_wildcards_is_found_by_them_and_only_it(api, db) -> None:
    made = registry_service.create_enterprise(
        db=db,
        actor=SYSTEM,
        data=EnterpriseCreate(
            name="百分之百_测试有限公司（100%）", uscc=_uscc("P9"), industry="industry_trade", lon=109.33, lat=24.26
        ),
    )
    db.commit()
    for q in ("_", "%", "百_测", "100%）"):
        body = api("duty").get("/api/v1/registry/enterprises", params={"q": q}).json()
        assert [e["id"] for e in body["items"]] == [made.id], q
    # "百%测" as a pattern would match "百分之百_测"; as text it is in no name.
    assert api("duty").get("/api/v1/registry/enterprises", params={"q": "百%测"}).json()["total"] == 0


def test_the_like_helper_escapes_its_own_escape_character(db) -> None:
    from sqlalchemy import literal, select

    from yingji.core.search import contains

    def hit(text: str, q: str) -> bool:
        return bool(db.scalar(select(contains(literal(text), q))))

    assert hit("a/b", "/") and hit("a/_b", "/_") and hit("x%y", "%")
    assert not hit("ab", "_") and not hit("ab", "%") and not hit("ab", "/")


def _array_lists(app) -> list[str]:
    spec = app.openapi()
    out = []
    for path, ops in spec["paths"].items():
        get = ops.get("get")
        if not get:
            continue
        schema = get.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {}).get("schema")
        if schema and schema.get("type") == "array":
            out.append(path)
    return out


def test_no_list_of_the_api_answers_a_bare_array(app) -> None:
    assert _array_lists(app) == []  # issue 9 point 9: every list answers the envelope


def test_materials_answer_the_envelope_and_honour_paging(api) -> None:
    duty = api("duty")
    first = duty.get("/api/v1/resources/materials", params={"page_size": 3})
    assert first.status_code == 200, first.text
    body = first.json()
    assert set(body) == ENVELOPE
    assert body["page"] == 1 and body["page_size"] == 3 and len(body["items"]) == 3
    assert body["total"] > 3
    second = duty.get("/api/v1/resources/materials", params={"page_size": 3, "page": 2}).json()
    assert {m["id"] for m in second["items"]}.isdisjoint({m["id"] for m in body["items"]})
    assert second["total"] == body["total"]


# Lists reached with a demo record in the path or none; each must be the envelope.
def _list_urls(api) -> list[str]:
    duty = api("duty")
    team = duty.get("/api/v1/resources/teams").json()["items"][0]["id"]
    shelter = duty.get("/api/v1/resources/shelters").json()["items"][0]["id"]
    warehouse = duty.get("/api/v1/resources/warehouses").json()["items"][0]["id"]
    rule = duty.get("/api/v1/monitoring/rules").json()["items"][0]["id"]
    return [
        "/api/v1/geo/locate?lon=109.33&lat=24.26",
        "/api/v1/geo/places?q=拉堡",
        "/api/v1/risk/major-hazards",
        "/api/v1/risk/notices",
        "/api/v1/risk/enterprises",
        "/api/v1/monitoring/rules",
        f"/api/v1/monitoring/rules/{rule}/versions",
        "/api/v1/monitoring/notices",
        f"/api/v1/resources/teams/{team}/members",
        f"/api/v1/resources/teams/{team}/equipment",
        "/api/v1/resources/warehouses",
        "/api/v1/resources/materials",
        f"/api/v1/resources/stock?warehouse_id={warehouse}",
        "/api/v1/resources/documents/in-transit",
        "/api/v1/resources/alerts",
        "/api/v1/resources/agreements",
        f"/api/v1/resources/shelters/{shelter}/assessments",
    ]


def test_every_list_answers_the_envelope(api) -> None:
    for url in _list_urls(api):
        r = api("duty").get(url)
        assert r.status_code == 200, (url, r.text)
        assert isinstance(r.json(), dict) and set(r.json()) == ENVELOPE, url
        assert r.json()["total"] == len(r.json()["items"]) or r.json()["total"] > r.json()["page_size"], url
