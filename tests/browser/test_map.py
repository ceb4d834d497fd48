"""A newcomer's path: log in, see the dashboard, open the map, and find the district outline drawn."""

from __future__ import annotations


def test_login_dashboard_and_map_with_district_outline(page, login) -> None:
    login(page, "duty")
    assert page.locator("h1").first.inner_text() == "值班概览"
    assert page.locator("[data-stat=villages]").inner_text() == "118"
    # The dashboard charts are drawn by the vendored ECharts.
    page.wait_for_selector("#chart-industries canvas")

    page.click("text=一张图")
    page.wait_for_selector("#map[data-ready=true]")
    outline = page.locator("path.district-outline")
    assert outline.count() == 1
    box = outline.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300  # fitted to the viewport
    assert page.locator("path.township-outline").count() == 8
    assert page.locator("path.village-outline").count() == 118
    # Every village outline lies within the district's (layers drawn at one scale).
    inside = page.evaluate(
        """() => { const d = document.querySelector('path.district-outline').getBoundingClientRect();
        return Array.from(document.querySelectorAll('path.village-outline')).every(p => {
          const b = p.getBoundingClientRect();
          return b.left >= d.left - 2 && b.top >= d.top - 2 &&
                 b.right <= d.right + 2 && b.bottom <= d.bottom + 2; }); }"""
    )
    assert inside


def test_wrong_password_shows_chinese_error(page) -> None:
    page.goto("/login")
    page.fill("input[name=username]", "duty")
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.locator("[role=alert]").inner_text()
