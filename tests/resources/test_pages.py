"""The resources pages: navigation, lists, HTMX status and occupancy updates, a team's own status page."""

from __future__ import annotations

import re


def test_pages_render_for_the_duty_officer(page_client) -> None:
    c = page_client("duty")
    home = c.get("/")
    assert 'hx-get="/resources/cards"' in home.text
    assert "应急资源" in c.get("/resources/cards").text
    for url, text in (
        ("/resources", "持证上岗率"),
        ("/resources/teams", "救援队伍"),
        ("/resources/experts", "专家库"),
        ("/resources/warehouses", "在途调拨"),
        ("/resources/shelters", "避难场所"),
        ("/resources/coverage", "演示路网"),
    ):
        r = c.get(url)
        assert r.status_code == 200 and text in r.text, url
    assert "未建设" not in re.search(r'href="/resources"[^>]*>([^<]*(<small[^>]*>[^<]*</small>)?)', c.get("/").text)[0]


def test_status_select_posts_with_htmx(page_client, api) -> None:
    c = page_client("labao")
    team = api("labao").get("/api/v1/resources/teams", params={"kind": "community"}).json()["items"][0]
    r = c.post(
        f"/resources/teams/{team['id']}/status",
        data={"status": "deployed"},
        headers={"X-CSRF-Token": c.csrf, "HX-Request": "true"},
    )
    assert r.status_code == 200 and 'data-status="deployed"' in r.text
    r = c.post(f"/resources/teams/{team['id']}/status", data={"status": "deployed"})  # no CSRF token
    assert r.status_code == 403


def test_occupancy_and_issue_forms(page_client, api) -> None:
    c = page_client("labao")
    shelter = api("labao").get("/api/v1/resources/shelters").json()["items"][0]
    r = c.post(
        f"/resources/shelters/{shelter['id']}/occupancy",
        data={"occupancy": "12", "open": "on"},
        headers={"X-CSRF-Token": c.csrf},
    )
    assert r.status_code == 200 and 'value="12"' in r.text
    r = c.post(
        f"/resources/shelters/{shelter['id']}/occupancy",
        data={"occupancy": str(10**7), "open": "on"},
        headers={"X-CSRF-Token": c.csrf},
    )
    assert r.status_code == 422 and "超过容量" in r.text and "Traceback" not in r.text
    point = next(
        w for w in api("labao").get("/api/v1/resources/warehouses").json()["items"] if w["level"] == "township"
    )
    stock = api("labao").get("/api/v1/resources/stock", params={"warehouse_id": point["id"]}).json()["items"]
    r = c.post(
        f"/resources/warehouses/{point['id']}/documents",
        data={
            "kind": "issue",
            "material_id": stock[0]["material_id"],
            "quantity": "1",
            "counterparty": "拉堡镇某村",
            "csrf_token": c.csrf,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = c.get(f"/resources/warehouses/{point['id']}").text
    assert "出库" in page and "已过账" in page


def test_team_opens_its_own_status_page_without_an_account(page_client, client) -> None:
    duty = page_client("duty")
    team = duty.get("/api/v1/resources/teams", params={"kind": "volunteer", "approval": "approved"}).json()["items"][0]
    page = duty.post(f"/resources/teams/{team['id']}/status-link", data={"csrf_token": duty.csrf})
    link = re.search(r'<code id="status-link">[^<]*(/resources/team-status/[^<]+)</code>', page.text).group(1)
    form = client.get(link)
    assert form.status_code == 200 and team["name"] in form.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    r = client.post(link, data={"status": "on_duty", "note": "已集结 12 人", "csrf_token": token})
    assert r.status_code == 200 and "已上报" in r.text
    assert client.post(link, data={"status": "on_duty", "csrf_token": "forged"}).status_code == 403
    assert client.get("/resources/team-status/nonsense").status_code == 404


def test_nearest_page(page_client) -> None:
    c = page_client("duty")
    assert "查找" in c.get("/resources/nearest").text
    r = c.get("/resources/nearest", params={"lon": "109.35", "lat": "24.25", "kind": "shelter", "k": "3"})
    assert r.status_code == 200 and r.text.count("data-seconds=") == 3 and "演示路网" in r.text
    seconds = [int(x) for x in re.findall(r'data-seconds="(\d+)"', r.text)]
    assert seconds == sorted(seconds)
    r = c.get("/resources/nearest", params={"lon": "东经", "lat": "24.25"})
    assert r.status_code == 422 and "经纬度须为数字" in r.text


def test_receipt_transfer_and_reversal_from_the_warehouse_page(page_client, api) -> None:
    c = page_client("duty")
    district = next(
        w for w in api("duty").get("/api/v1/resources/warehouses").json()["items"] if w["level"] == "district"
    )
    point = next(w for w in api("duty").get("/api/v1/resources/warehouses").json()["items"] if w["level"] == "township")
    tent = next(
        m
        for m in api("duty").get("/api/v1/resources/materials", params={"page_size": 500}).json()["items"]
        if m["name"] == "救灾帐篷"
    )
    url = f"/resources/warehouses/{district['id']}/documents"
    base = {"material_id": tent["id"], "csrf_token": c.csrf}

    def stock(wid):
        rows = api("duty").get("/api/v1/resources/stock", params={"warehouse_id": wid, "material_id": tent["id"]})
        return {r["batch_no"]: float(r["quantity"]) for r in rows.json()["items"]}

    r = c.post(url, data={**base, "kind": "receipt", "quantity": "30", "batch_no": "PAGE-1", "inspector": "韦明"})
    assert r.status_code == 422 and "验收" in r.text  # not ticked as passed: nothing booked
    assert "PAGE-1" not in stock(district["id"])
    r = c.post(
        url,
        data={
            **base,
            "kind": "receipt",
            "quantity": "30",
            "batch_no": "PAGE-1",
            "inspector": "韦明",
            "passed": "on",
            "expiry_date": "2030-01-01",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and stock(district["id"])["PAGE-1"] == 30
    r = c.post(
        url,
        data={**base, "kind": "transfer", "quantity": "1", "to_warehouse_id": str(point["id"])},
        follow_redirects=False,
    )
    assert r.status_code == 303
    transit = api("duty").get("/api/v1/resources/documents/in-transit").json()["items"]
    doc = next(d for d in transit if d["to_warehouse_id"] == point["id"] and d["lines"][0]["quantity"] == "1.000")
    r = c.post(
        f"/resources/documents/{doc['id']}/reverse",
        data={"reason": "调错了", "csrf_token": c.csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert doc["id"] not in [d["id"] for d in api("duty").get("/api/v1/resources/documents/in-transit").json()["items"]]
    r = c.post(url, data={**base, "kind": "magic", "quantity": "1"})
    assert r.status_code == 422


def test_village_officer_registers_a_volunteer_team_on_the_phone(page_client, api) -> None:
    c = page_client("officer")
    form = c.get("/resources/teams/volunteer")
    assert form.status_code == 200
    codes = re.findall(r'<option value="(4502\d{8})"', form.text)
    assert len(codes) == 1  # the officer's own village only
    code = codes[0]
    r = c.post("/resources/teams/volunteer", data={"name": "x", "region_code": code, "csrf_token": c.csrf})
    assert r.status_code == 422 and "登记" in r.text
    r = c.post(
        "/resources/teams/volunteer",
        data={"name": "村青年突击队", "region_code": code, "contact_phone": "13900000000", "csrf_token": c.csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    pending = api("duty").get("/api/v1/resources/teams", params={"approval": "pending"}).json()["items"]
    assert "村青年突击队" in [t["name"] for t in pending]
