"""The permission matrix, tested from the outside: for each role, try to read and to change what it must
not, over the HTTP API, and check it is refused (403 for a forbidden action, 404 where existence must not
leak) and that nothing changed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from yingji.accounts.models import User
from yingji.registry.models import Enterprise

LABAO = "450206000000/450206100000"
NEW = {"name": "测试化工有限公司", "uscc": "91450206MA5KXXXXX0", "industry": "hazardous_chemicals"}


def _valid_uscc(seed: str) -> str:
    from yingji.registry.standards import uscc_check_char

    body = ("91450206" + seed + "000000000")[:17]
    return body + uscc_check_char(body)


@pytest.fixture
def world(db):
    """Ids of enterprises inside and outside each scoped user's area."""
    users = {u.username: u for u in db.scalars(select(User))}
    in_labao = db.scalar(select(Enterprise).where(Enterprise.region_path.startswith(LABAO + "/")).limit(1))
    outside = db.scalar(select(Enterprise).where(~Enterprise.region_path.startswith(LABAO + "/")).limit(1))
    officer_village = users["officer"].scope_path
    chem_own = users["chem"].enterprise_id
    other_chem = db.scalar(
        select(Enterprise.id).where(Enterprise.id != chem_own, Enterprise.industry == "hazardous_chemicals")
    )
    return {
        "in_labao": in_labao,
        "outside": outside,
        "village": officer_village,
        "chem_own": chem_own,
        "other_chem": other_chem,
    }


def test_anonymous_gets_401_everywhere(client, world) -> None:
    one = f"/api/v1/registry/enterprises/{world['outside'].id}"
    for method, url in [
        ("get", "/api/v1/registry/enterprises"),
        ("get", one),
        ("post", "/api/v1/registry/enterprises"),
        ("get", "/api/v1/accounts/users"),
        ("get", "/api/v1/geo/regions"),
        ("get", "/api/v1/registry/people"),
    ]:
        r = getattr(client, method)(url, **({"json": {}} if method == "post" else {}))
        assert r.status_code == 401, (method, url, r.text)


def test_township_officer_sees_and_changes_only_its_township(api, world, db) -> None:
    c = api("labao")
    listing = c.get("/api/v1/registry/enterprises?page_size=500").json()
    assert listing["total"] > 0
    assert all(e["region_path"].startswith(LABAO + "/") for e in listing["items"])
    assert c.get(f"/api/v1/registry/enterprises/{world['in_labao'].id}").status_code == 200
    outside = world["outside"]
    assert c.get(f"/api/v1/registry/enterprises/{outside.id}").status_code == 404
    assert c.patch(f"/api/v1/registry/enterprises/{outside.id}", json={"name": "改名"}).status_code == 404
    assert c.delete(f"/api/v1/registry/enterprises/{outside.id}").status_code == 404
    # Creating in another township is refused; in its own, allowed.
    other_town = {**NEW, "uscc": _valid_uscc("T1"), "region_code": "450206101000"}
    assert c.post("/api/v1/registry/enterprises", json=other_town).status_code == 403
    own = {**NEW, "uscc": _valid_uscc("T2"), "region_code": "450206100000"}
    assert c.post("/api/v1/registry/enterprises", json=own).status_code == 201
    # Moving one of its enterprises out of its township is refused.
    r = c.patch(f"/api/v1/registry/enterprises/{world['in_labao'].id}", json={"region_code": "450206101000"})
    assert r.status_code == 403
    # People outside its township are invisible; user administration and geography writes are not its job.
    people = c.get("/api/v1/registry/people?page_size=500").json()["items"]
    assert people and all((p["region_path"] or "").startswith(LABAO) for p in people)
    assert c.get("/api/v1/accounts/users").status_code == 403
    assert c.patch("/api/v1/geo/regions/450206100000", json={"population": 1}).status_code == 403
    db.expire_all()
    assert db.get(Enterprise, outside.id).name == outside.name


def test_information_officer_reads_only_its_village_and_writes_nothing(api, world) -> None:
    c = api("officer")
    items = c.get("/api/v1/registry/enterprises?page_size=500").json()["items"]
    assert all(e["region_path"].startswith(world["village"]) for e in items)
    assert c.get(f"/api/v1/registry/enterprises/{world['outside'].id}").status_code == 404
    assert c.post("/api/v1/registry/enterprises", json={**NEW, "uscc": _valid_uscc("P1")}).status_code == 403
    assert c.get("/api/v1/accounts/users").status_code == 403


def test_enterprise_manager_sees_only_its_enterprise(api, world) -> None:
    c = api("chem")
    listing = c.get("/api/v1/registry/enterprises").json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == world["chem_own"]
    assert c.get(f"/api/v1/registry/enterprises/{world['other_chem']}").status_code == 404
    assert c.patch(f"/api/v1/registry/enterprises/{world['other_chem']}", json={"employees": 1}).status_code == 404
    # Its own contact details it may keep; what the regulator records it may not.
    ok = c.patch(f"/api/v1/registry/enterprises/{world['chem_own']}", json={"safety_contact": "新负责人"})
    assert ok.status_code == 200 and ok.json()["safety_contact"] == "新负责人"
    r = c.patch(f"/api/v1/registry/enterprises/{world['chem_own']}", json={"industry": "industry_trade"})
    assert r.status_code == 403 and r.json()["error"]["details"][0]["field"] == "industry"
    assert c.delete(f"/api/v1/registry/enterprises/{world['chem_own']}").status_code == 403
    assert c.post("/api/v1/registry/enterprises", json={**NEW, "uscc": _valid_uscc("E1")}).status_code == 403
    people = c.get("/api/v1/registry/people?page_size=500").json()["items"]
    assert people and all(p["enterprise_id"] == world["chem_own"] for p in people)
    assert c.get("/api/v1/accounts/users").status_code == 403


@pytest.mark.parametrize("username", ["leader", "liaison"])
def test_read_only_district_roles_cannot_write(api, world, username: str) -> None:
    c = api(username)
    assert c.get(f"/api/v1/registry/enterprises/{world['outside'].id}").status_code == 200
    assert c.patch(f"/api/v1/registry/enterprises/{world['outside'].id}", json={"employees": 3}).status_code == 403
    assert c.post("/api/v1/registry/enterprises", json={**NEW, "uscc": _valid_uscc("R1")}).status_code == 403
    assert c.delete(f"/api/v1/registry/enterprises/{world['outside'].id}").status_code == 403
    assert c.get("/api/v1/accounts/users").status_code == 403
    assert (
        c.post(
            "/api/v1/accounts/users", json={"username": "x_admin", "password": "12345678", "role": "admin"}
        ).status_code
        == 403
    )


def test_duty_officer_writes_registry_anywhere_but_not_users(api, world) -> None:
    c = api("duty")
    assert c.patch(f"/api/v1/registry/enterprises/{world['outside'].id}", json={"employees": 3}).status_code == 200
    assert c.get("/api/v1/accounts/users").status_code == 403
    assert c.patch("/api/v1/geo/regions/450206100000", json={"population": 1}).status_code == 403


def test_users_cannot_read_each_other_but_can_read_themselves(api, db) -> None:
    ids = {u.username: u.id for u in db.scalars(select(User))}
    c = api("duty")
    assert c.get(f"/api/v1/accounts/users/{ids['duty']}").status_code == 200
    assert c.get(f"/api/v1/accounts/users/{ids['admin']}").status_code == 403
    # Nor raise their own role or re-activate themselves.
    assert c.patch(f"/api/v1/accounts/users/{ids['duty']}", json={"is_active": True}).status_code == 403


def test_admin_manages_users_with_scope_rules(api) -> None:
    c = api("admin")
    assert c.get("/api/v1/accounts/users").json()["total"] == 9  # the demo's seven accounts and its two inspectors
    r = c.post(
        "/api/v1/accounts/users",
        json={"username": "t_officer", "password": "long-enough-1", "role": "township_officer"},
    )
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "region_code"
    r = c.post(
        "/api/v1/accounts/users",
        json={
            "username": "t_officer",
            "password": "long-enough-1",
            "role": "township_officer",
            "region_code": "450206100001",
        },
    )
    assert r.status_code == 422 and "township" in r.json()["error"]["message"]
    r = c.post(
        "/api/v1/accounts/users",
        json={
            "username": "t_officer",
            "password": "long-enough-1",
            "role": "township_officer",
            "region_code": "450206101000",
        },
    )
    assert r.status_code == 201 and r.json()["scope_path"] == "450206000000/450206101000"
    assert (
        c.post(
            "/api/v1/accounts/users",
            json={"username": "T_OFFICER", "password": "long-enough-1", "role": "duty_officer"},
        ).status_code
        == 409
    )


def test_deactivated_user_is_locked_out(api, db) -> None:
    ids = {u.username: u.id for u in db.scalars(select(User))}
    liaison = api("liaison")
    assert liaison.get("/api/v1/auth/me").status_code == 200
    assert api("admin").patch(f"/api/v1/accounts/users/{ids['liaison']}", json={"is_active": False}).status_code == 200
    assert liaison.get("/api/v1/auth/me").status_code == 401


def test_pages_respect_scope_too(page_client, world) -> None:
    c = page_client("labao")
    assert c.get(f"/registry/enterprises/{world['outside'].id}").status_code == 404
    assert c.get(f"/registry/enterprises/{world['in_labao'].id}").status_code == 200
    assert c.get("/accounts/users").status_code == 403
    assert "用户管理" not in c.get("/").text
