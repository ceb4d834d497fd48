"""The information officer's home on a phone (390 px): after logging in the officer lands on their
village's page; the header names them and the village; everything fits; reporting is one tap."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PASSWORDS

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_officer_home_on_a_phone(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", PASSWORDS["officer"])
    page.click("button[type=submit]")
    page.wait_for_url("**/officer")
    head = page.locator("#officer-head")
    assert head.is_visible()
    assert "灾害信息员" in head.inner_text()
    village = page.locator("#officer-village").inner_text()
    assert "镇" in village and ("村" in village or "社区" in village)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for section in ("#officer-warnings", "#officer-hazards", "#officer-reports", "#officer-shelters", "#officer-teams"):
        box = page.locator(section).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, section
    assert page.locator("#officer-shelters a.tel, #officer-teams a.tel").count() > 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "officer-390.png"), full_page=True)
    page.click("#report-hazard")
    page.wait_for_url("**/risk/hazards/new")
    assert page.locator("#hazard-form").is_visible()
