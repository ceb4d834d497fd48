"""Choosing a place by name in a real browser: the nearest search from a township's name, the public
举报 form from a village's name or the phone's position (and what it says when location is refused),
and a warning area from place names."""

from __future__ import annotations


def _choose(page, selector: str, text: str, pick: str) -> None:
    page.fill(selector, text)
    page.locator(".place-suggestions li[role=option]", has_text=pick).first.click()


def test_nearest_teams_from_a_township_name(page, login) -> None:
    login(page, "duty")
    page.goto("/resources/nearest")
    _choose(page, "#nearest-place", "拉堡镇", "拉堡镇")
    assert page.input_value("input[name=lon]").startswith("109.")
    assert page.input_value("input[name=lat]").startswith("24.")
    assert "已选：镇（街道） 拉堡镇" in page.locator(".place-chosen").inner_text()
    page.click("#nearest-form button[type=submit]")
    page.wait_for_selector("#nearest tbody tr td[data-seconds]")
    assert page.locator("#nearest tbody tr").count() == 5


def test_public_report_place_from_a_village_name(page) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/risk/public/report")
    _choose(page, "#report-place-search", "拉堡村", "拉堡村")
    assert page.locator("select[name=region_code] option:checked").inner_text() == "拉堡村"
    assert page.input_value("#lon").startswith("109.")
    # The suggestions fit the phone's width.
    page.fill("#report-place-search", "拉堡")
    page.locator(".place-suggestions li[role=option]").first.wait_for()
    box = page.locator(".place-suggestions").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_public_report_uses_the_phone_location_when_allowed(browser, live_server) -> None:
    context = browser.new_context(
        base_url=live_server,
        locale="zh-CN",
        permissions=["geolocation"],
        geolocation={"longitude": 109.352, "latitude": 24.261, "accuracy": 20},
    )
    try:
        page = context.new_page()
        page.goto("/risk/public/report")
        # Already allowed: filled on load, without a tap.
        page.wait_for_function("() => document.getElementById('lon').value !== ''")
        assert page.input_value("#lon") == "109.352000" and page.input_value("#lat") == "24.261000"
        assert "已定位（精度约 20 米）" in page.locator(".geolocate-status").inner_text()
    finally:
        context.close()


def test_public_report_says_what_to_do_when_location_is_refused(browser, live_server) -> None:
    context = browser.new_context(base_url=live_server, locale="zh-CN", permissions=[])
    try:
        page = context.new_page()
        page.goto("/risk/public/report")
        page.click("#locate")
        page.wait_for_function("() => document.querySelector('.geolocate-status').textContent.includes('无法获取位置')")
        assert "请输入村名、地址选择位置" in page.locator(".geolocate-status").inner_text()
        assert page.input_value("#lon") == ""
    finally:
        context.close()


def test_warning_area_from_place_names(page, login) -> None:
    login(page, "duty")
    page.goto("/warnings/new")
    _choose(page, "#warning-place-search", "进德镇", "进德镇")
    selected = page.eval_on_selector_all(
        "select[name=regions] option:checked", "os => os.map(o => o.textContent.trim())"
    )
    assert selected == ["进德镇（全镇）"]
    assert page.is_checked("input[name=area_mode][value=regions]")
