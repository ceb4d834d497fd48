from __future__ import annotations


def test_healthz_reports_database(client) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_pages_need_login_and_redirect(client) -> None:
    r = client.get("/map", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/map"


def test_dashboard_shows_real_counts(page_client) -> None:
    c = page_client("admin")
    html = c.get("/").text
    assert 'data-stat="villages">118<' in html
    assert "演示数据" in html  # demo label on every page
    assert 'data-stat="users">9<' in html


def test_navigation_lists_every_capability_and_unbuilt_ones_say_so(page_client) -> None:
    from yingji.web.nav import NAV

    c = page_client("duty")
    html = c.get("/").text
    for entry in NAV:
        if not entry.admin_only and not entry.permission and not entry.roles:  # the duty officer holds neither
            assert f'href="{entry.url}"' in html, entry
    assert 'href="/officer"' not in html  # the village page is listed for information officers only
    for entry in NAV:
        if not entry.built:
            page = c.get(entry.url)
            assert page.status_code == 200
            assert "本功能尚未建设" in page.text


def test_map_page_uses_only_vendored_assets(page_client) -> None:
    html = page_client("duty").get("/map").text
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "http://" not in html and "https://" not in html
    assert page_client("duty").get("/static/vendor/leaflet/leaflet.js").status_code == 200


def test_unknown_page_is_a_chinese_error_page(page_client) -> None:
    r = page_client("duty").get("/no/such/page")
    assert r.status_code == 404
    assert "不存在" in r.text and "Traceback" not in r.text


def test_unknown_api_route_uses_error_shape(client) -> None:
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_openapi_docs_served(client) -> None:
    assert client.get("/api/docs").status_code == 200
    spec = client.get("/api/openapi.json").json()
    assert "/api/v1/auth/token" in spec["paths"]


def test_login_page_leads_the_public_to_its_pages(client) -> None:
    html = client.get("/login").text
    for url in ("/public/warnings", "/public/subscribe", "/risk/public/report", "/risk/public/track"):
        assert f'href="{url}"' in html
        assert client.get(url).status_code == 200, url
