"""Enterprise registry over the API: validation that names the field, region from coordinates,
pagination and filters, conflicts, and that a refused request changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from yingji.registry.models import Enterprise
from yingji.registry.standards import uscc_check_char


def uscc(seed: str) -> str:
    body = ("91450206" + seed + "000000000")[:17]
    return body + uscc_check_char(body)


def count(db) -> int:
    return db.scalar(select(func.count(Enterprise.id)))


def test_create_locates_the_village_from_coordinates(api, db) -> None:
    r = api("duty").post(
        "/api/v1/registry/enterprises",
        json={
            "name": "柳江测试物流有限公司",
            "uscc": uscc("A1"),
            "industry": "road_transport",
            "lon": 109.33,
            "lat": 24.26,
            "safety_phone": "+86 139 1234 5678",
        },
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["region_path"].startswith("450206000000/450206100000/")  # 拉堡镇, a village inside it
    assert body["region_path"].count("/") == 2
    assert body["safety_phone"] == "13912345678"


def test_bad_fields_are_named_and_nothing_is_created(api, db) -> None:
    before = count(db)
    r = api("duty").post(
        "/api/v1/registry/enterprises",
        json={
            "name": "X",
            "uscc": "91350100M000100Y44",
            "industry": "bakery",
            "safety_phone": "12345",
            "lon": 200,
        },
    )
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "validation_error"
    fields = {d["field"]: d["message"] for d in err["details"]}
    assert set(fields) == {"name", "uscc", "industry", "safety_phone", "lon"}
    assert "校验位错误" in fields["uscc"]
    assert "电话号码格式不正确" in fields["safety_phone"]
    assert count(db) == before


def test_point_outside_the_district_is_refused(api) -> None:
    r = api("duty").post(
        "/api/v1/registry/enterprises",
        json={"name": "区外企业", "uscc": uscc("A2"), "industry": "industry_trade", "lon": 116.4, "lat": 39.9},
    )
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "lon"


def test_duplicate_credit_code_is_a_conflict(api) -> None:
    c = api("duty")
    data = {"name": "重复企业甲", "uscc": uscc("A3"), "industry": "industry_trade", "region_code": "450206101000"}
    assert c.post("/api/v1/registry/enterprises", json=data).status_code == 201
    r = c.post("/api/v1/registry/enterprises", json={**data, "name": "重复企业乙"})
    assert r.status_code == 409 and r.json()["error"]["details"] == [{"field": "uscc", "message": "已存在"}]


def test_unknown_ids_and_malformed_json(api) -> None:
    c = api("duty")
    r = c.get("/api/v1/registry/enterprises/999999")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert c.get("/api/v1/registry/enterprises/abc").status_code == 422
    r = c.post("/api/v1/registry/enterprises", content=b'{"name": ', headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "malformed_json"
    r = c.post("/api/v1/registry/enterprises", json={"name": "x", "surprise": 1})
    assert any(d["field"] == "surprise" for d in r.json()["error"]["details"])


def test_pagination_and_filters(api) -> None:
    c = api("duty")
    page1 = c.get("/api/v1/registry/enterprises?page=1&page_size=10").json()
    page2 = c.get("/api/v1/registry/enterprises?page=2&page_size=10").json()
    assert page1["total"] == page2["total"] >= 300
    assert len(page1["items"]) == 10 and {e["id"] for e in page1["items"]}.isdisjoint(e["id"] for e in page2["items"])
    chem = c.get("/api/v1/registry/enterprises?industry=hazardous_chemicals&page_size=500").json()
    assert chem["total"] == 26 and all(e["industry"] == "hazardous_chemicals" for e in chem["items"])
    video = c.get("/api/v1/registry/enterprises?remote_video=true&page_size=500").json()
    assert video["total"] == 11
    town = c.get("/api/v1/registry/enterprises?region=450206101000&page_size=500").json()
    assert town["total"] > 0 and all(e["region_path"].startswith("450206000000/450206101000") for e in town["items"])
    assert c.get("/api/v1/registry/enterprises?page_size=501").status_code == 422
    assert c.get("/api/v1/registry/enterprises?industry=bakery").status_code == 422


def test_delete_and_update(api, db) -> None:
    c = api("duty")
    created = c.post(
        "/api/v1/registry/enterprises",
        json={"name": "待注销企业", "uscc": uscc("A4"), "industry": "industry_trade", "region_code": "450206102000"},
    ).json()
    r = c.patch(f"/api/v1/registry/enterprises/{created['id']}", json={"status": "closed", "employees": 0})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    assert c.delete(f"/api/v1/registry/enterprises/{created['id']}").status_code == 204
    assert c.get(f"/api/v1/registry/enterprises/{created['id']}").status_code == 404


def test_enterprise_form_page_shows_field_errors_in_chinese(page_client, db) -> None:
    c = page_client("duty")
    before = count(db)
    r = c.post(
        "/registry/enterprises/new",
        data={
            "csrf_token": c.csrf,
            "name": "页面企业",
            "uscc": "123",
            "industry": "industry_trade",
            "region_code": "450206100000",
        },
    )
    assert r.status_code == 422 and "统一社会信用代码应为 18 位" in r.text
    assert count(db) == before
    ok = c.post(
        "/registry/enterprises/new",
        data={
            "csrf_token": c.csrf,
            "name": "页面企业",
            "uscc": uscc("A5"),
            "industry": "industry_trade",
            "region_code": "450206100000",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303 and count(db) == before + 1
    assert "页面企业" in c.get(ok.headers["location"]).text


def test_registry_pages_render(page_client) -> None:
    c = page_client("duty")
    for url in [
        "/registry/enterprises",
        "/registry/enterprises?industry=fireworks",
        "/registry/departments",
        "/registry/people?q=韦",
        "/geo/regions",
        "/geo/regions?parent=450206100000",
    ]:
        r = c.get(url)
        assert r.status_code == 200, url
    assert "柳江区应急管理局" in c.get("/registry/departments").text


def test_enterprise_page_filter_lists_only_that_industry(page_client, api) -> None:
    everyone = api("duty").get("/api/v1/registry/enterprises", params={"page_size": 500}).json()["items"]
    fireworks = [e["name"] for e in everyone if e["industry"] == "fireworks"]
    others = [e["name"] for e in everyone if e["industry"] != "fireworks"]
    assert fireworks and others
    html = page_client("duty").get("/registry/enterprises?industry=fireworks&page_size=200").text
    assert all(name in html for name in fireworks)
    assert not [name for name in others if f">{name}<" in html]


def test_departments_are_listed_with_paging_and_kind(api) -> None:
    c = api("liaison")
    offices = c.get("/api/v1/registry/departments?kind=township_office").json()
    assert offices["total"] == 8 and all(d["kind"] == "township_office" for d in offices["items"])
    first = c.get("/api/v1/registry/departments?page_size=5").json()
    assert first["total"] == 22 and len(first["items"]) == 5
