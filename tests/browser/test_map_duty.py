"""The 一张图 map as a duty officer reads it: a failed layer says so with a retry, names appear with zoom,
layers are grouped with a few on, the legend folds and fits a phone, the point menu is visible, and the
base maps (an offline MBTiles file served by Yingji, a GCJ-02 source) draw with the data in place."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import _free_port
from tests.geo.tilefiles import make_mbtiles, png, tiles_over
from yingji.geo import coords

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _open_map(page, login) -> None:
    login(page, "duty")
    page.goto("/map")
    page.wait_for_selector("#map[data-settled=true]")


def test_a_failed_layer_says_so_on_the_map_and_retry_loads_it(page, login) -> None:
    calls = {"n": 0}

    def flaky(route) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            route.fulfill(status=500, body="boom")
        else:
            route.continue_()

    page.route("**/api/v1/resources/map/shelters.geojson", flaky)
    _open_map(page, login)
    row = page.locator(".layer-row[data-layer='resources.shelters']")
    assert row.get_attribute("data-state") == "error"
    assert "加载失败：服务器返回 500" in row.inner_text()
    status = page.locator("#map-status")
    assert status.is_visible() and "1 个图层加载失败：避难场所（服务器返回 500）" in status.inner_text()
    assert page.locator("path.resource-shelter").count() == 0

    row.locator("button.layer-retry").click()
    page.wait_for_selector(".layer-row[data-layer='resources.shelters'][data-state=ok]")
    assert page.locator("path.resource-shelter").count() > 10
    assert status.is_hidden()
    assert page.locator("#map").get_attribute("data-failed-layers") == "0"


def test_layers_are_grouped_with_a_few_on_and_names_appear_with_zoom(page, login) -> None:
    _open_map(page, login)
    groups = page.locator("#layer-panel section.layer-group h3").all_inner_texts()
    assert groups == ["底图与基础", "风险", "监测", "预警", "应急资源"]
    on = page.eval_on_selector_all("#layer-panel input[type=checkbox]:checked", "els => els.map(e => e.dataset.layer)")
    assert on == [
        "base.district",
        "base.township",
        "base.village",
        "base.labels",
        "base.rivers",
        "risk.major-hazards",
        "monitoring.alarms",
        "warnings.current",
        "resources.shelters",
    ]
    assert page.locator(".layer-row[data-layer='base.rivers']").get_attribute("data-count") == "1"  # the demo river

    # At the district view the 8 township names show and the 118 village names wait for a closer zoom.
    assert page.locator(".township-label").count() == 8
    assert page.locator(".village-label").count() == 118
    visible = (
        "sel => Array.from(document.querySelectorAll(sel)).filter(e => getComputedStyle(e).display !== 'none').length"
    )
    assert page.evaluate(visible, ".township-label") == 8
    assert page.evaluate(visible, ".village-label") == 0
    page.evaluate("YingjiMap.map.setZoom(12.5, {animate: false})")
    page.wait_for_function(f"() => ({visible})('.village-label') > 0")

    # A choice is kept for the next visit.
    page.uncheck("input[data-layer='resources.shelters']")
    page.reload()
    page.wait_for_selector("#map[data-settled=true]")
    assert not page.is_checked("input[data-layer='resources.shelters']")
    assert page.locator("path.resource-shelter").count() == 0


def test_point_menu_is_visible_and_offers_the_actions(page, login) -> None:
    _open_map(page, login)
    page.click("#map-here")
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    menu = page.locator(".map-menu")
    menu.wait_for()
    links = menu.locator("a")
    labels = links.all_inner_texts()
    assert "从此处就近查找救援队伍" in labels and "以此处为圆心新建预警" in labels
    href = links.filter(has_text="救援队伍").get_attribute("href")
    assert href.startswith("/resources/nearest?kind=team&lon=109.") and "&lat=24." in href
    page.wait_for_function("() => document.querySelector('.map-menu-where').textContent.length > 0")
    assert "柳江区" in page.locator(".map-menu-where").inner_text()
    # Right-click opens the same menu.
    page.keyboard.press("Escape")
    page.mouse.click(box["x"] + box["width"] / 3, box["y"] + box["height"] / 2, button="right")
    page.wait_for_function("() => document.querySelectorAll('.map-menu a').length >= 4")
    page.locator(".map-menu a", has_text="以此处为圆心新建预警").click()
    page.wait_for_url("**/warnings/new?*")
    assert page.locator("input[name=area_mode][value=circle]").is_checked()
    assert page.input_value("#circle_lon").startswith("109.")


def test_on_a_phone_the_legend_folds_and_nothing_overflows(page, login) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    _open_map(page, login)
    legend = page.locator("#map-legend")
    assert legend.get_attribute("open") is None  # folded on a phone
    legend.locator("summary").click()
    assert legend.get_attribute("open") == ""
    lb = legend.bounding_box()
    assert lb["x"] >= 0 and lb["x"] + lb["width"] <= 390
    panel = page.locator("#layer-panel")
    assert "collapsed" in panel.get_attribute("class")
    page.click(".layer-panel-toggle")
    pb = panel.bounding_box()
    assert pb["x"] >= 0 and pb["x"] + pb["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "map-390.png"))
    legend.locator("summary").click()
    assert legend.get_attribute("open") is None


# --- base maps: a server configured with an offline MBTiles file and a GCJ-02 source ---------------------


@pytest.fixture(scope="module")
def tiled_server(demo_templates, tmp_path_factory) -> Iterator[str]:
    """A server on its own copy of the demo, with base maps configured."""
    import uvicorn

    from yingji.app import create_app
    from yingji.core.config import Settings
    from yingji.core.db import Database

    data_dir = tmp_path_factory.mktemp("tiled")
    blue = png((60, 120, 200))
    path = make_mbtiles(
        data_dir / "liujiang.mbtiles", {t: blue for t in tiles_over(108.9, 23.9, 109.8, 24.7, range(8, 13))}
    )
    settings = Settings(
        data_dir=data_dir,
        secret_key="browser-test",
        map_tiles=str(path),
        map_basemaps=[{"name": "高德式测试底图", "type": "xyz", "url": "/tiles/{z}/{x}/{y}", "crs": "gcj02"}],
    )
    app = create_app(settings=settings, database=Database.from_url(demo_templates.copy("tiled")))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    app.state.database.bind.dispose()


def test_offline_base_map_and_gcj02_base_map_move_the_data(browser, tiled_server, login) -> None:
    context = browser.new_context(base_url=tiled_server, viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(tiled_server) else None)
    try:
        login(page, "duty")
        page.goto("/map")
        page.wait_for_selector("#map[data-settled=true]")
        # The offline file is the first choice: its tiles come from Yingji's /tiles route.
        assert page.locator("#map").get_attribute("data-basemap") == "local"
        page.wait_for_selector("img.leaflet-tile-loaded[src*='/tiles/']")
        assert page.evaluate("document.querySelector('img.leaflet-tile-loaded').naturalWidth") == 256
        assert outside == []  # nothing fetched from outside

        # The JS transform agrees with the reference point (gcoord: [123, 45] → [123.00607541, 45.00197815]).
        lon, lat = page.evaluate("YingjiCoords.wgs84ToGcj02(123, 45)")
        assert abs(lon - 123.00607541) < 5e-8 and abs(lat - 45.00197815) < 5e-8

        # The first vertex of the district outline: where it is drawn, and its stored WGS84 position.
        first = """(() => { const e = YingjiMap.entries.get('base.district');
          let c = e.data.features[0].geometry.coordinates; while (Array.isArray(c[0])) c = c[0];
          let ll = e.layer.getLayers()[0].getLatLngs(); while (Array.isArray(ll)) ll = ll[0];
          return [c[0], c[1], ll.lng, ll.lat]; })()"""
        west, south, drawn_lon, drawn_lat = page.evaluate(first)
        assert (drawn_lon, drawn_lat) == (west, south)  # the outline base: drawn where stored
        page.check("input[name=basemap][value=cfg1]")
        page.wait_for_selector("#map[data-crs=gcj02]")
        _, _, drawn_lon, drawn_lat = page.evaluate(first)
        elon, elat = coords.wgs84_to_gcj02(west, south)
        assert abs(drawn_lon - elon) < 1e-9 and abs(drawn_lat - elat) < 1e-9
        assert drawn_lon - west > 0.003  # a few hundred metres, not nothing
        # A point chosen on the GCJ-02 map is given to the actions in WGS84.
        page.evaluate("YingjiMap.map.fire('contextmenu', {latlng: L.latLng(" + str(elat) + ", " + str(elon) + ")})")
        href = page.locator(".map-menu a").first.get_attribute("href")
        assert f"lon={west:.6f}"[:14] in href and f"lat={south:.6f}"[:13] in href
    finally:
        context.close()
