"""Places by name over HTTP: one search for villages, townships, enterprises, shelters and addresses,
scoped like any read; visitors of the public pages get only the public kinds."""

from __future__ import annotations

import pytest


def _places(client, q: str, **params) -> list[dict]:
    r = client.get("/api/v1/geo/places", params={"q": q, **params})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_a_township_by_its_exact_name_comes_first_with_its_position(api) -> None:
    duty = api("duty")
    first = _places(duty, "拉堡镇")[0]
    region = duty.get("/api/v1/geo/regions/450206100000").json()
    assert (first["kind"], first["kind_label"], first["name"], first["region_code"]) == (
        "township",
        "镇（街道）",
        "拉堡镇",
        "450206100000",
    )
    assert (first["lon"], first["lat"]) == (region["centroid_lon"], region["centroid_lat"])


def test_a_village_shows_its_township(api) -> None:
    hits = [p for p in _places(api("duty"), "拉堡") if p["kind"] == "village"]
    assert [(p["name"], p["detail"]) for p in hits] == [("拉堡村", "拉堡镇")]


def test_enterprises_by_name_or_address_for_staff_only(api, client) -> None:
    duty = api("duty")
    ent = duty.get("/api/v1/registry/enterprises", params={"page_size": 1}).json()["items"][0]
    by_name = _places(duty, ent["name"], kind="enterprise")
    assert by_name[0]["name"] == ent["name"] and by_name[0]["ref"] == str(ent["id"])
    street = ent["address"][-6:]
    assert any(p["ref"] == str(ent["id"]) for p in _places(duty, street, kind="enterprise", limit=30))
    assert _places(client, ent["name"]) == [] or all(p["kind"] != "enterprise" for p in _places(client, ent["name"]))


def test_an_information_officer_finds_only_enterprises_of_their_village(api) -> None:
    officer, duty = api("officer"), api("duty")
    scope = officer.get("/api/v1/auth/me").json()["scope_path"]
    all_hits = _places(duty, "公司", kind="enterprise", limit=30)
    mine = _places(officer, "公司", kind="enterprise", limit=30)
    assert len(all_hits) == 30 and len(mine) < 30
    for p in mine:
        assert duty.get(f"/api/v1/registry/enterprises/{p['ref']}").json()["region_path"].startswith(scope)
    outside = [
        p
        for p in all_hits
        if not duty.get(f"/api/v1/registry/enterprises/{p['ref']}").json()["region_path"].startswith(scope)
    ]
    assert outside and not {p["ref"] for p in outside} & {p["ref"] for p in mine}


def test_visitors_find_villages_and_shelters(api, client) -> None:
    shelter = api("duty").get("/api/v1/resources/shelters", params={"page_size": 1}).json()["items"][0]
    hits = _places(client, shelter["name"])
    assert hits[0]["kind"] == "shelter" and hits[0]["name"] == shelter["name"]
    assert _places(client, "拉堡村")[0]["name"] == "拉堡村"


@pytest.mark.parametrize(
    ("params", "field"),
    [({"q": ""}, "q"), ({"q": "   "}, "q"), ({"q": "拉堡", "kind": "planet"}, "kind"), ({"q": "拉" * 51}, "q")],
)
def test_bad_queries_answer_422_naming_the_field(client, params, field) -> None:
    r = client.get("/api/v1/geo/places", params=params)
    assert r.status_code == 422
    assert [d["field"] for d in r.json()["error"]["details"]][-1].endswith(field)


def test_like_wildcards_in_the_query_match_only_themselves(api) -> None:
    assert _places(api("duty"), "%") == []
    assert _places(api("duty"), "_") == []
