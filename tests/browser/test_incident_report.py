"""A duty officer takes a phone report on a phone-sized screen: the place by a tap on the village map, the
kind and counts, and lands on the incident page with its timeline and the reports it owes."""

from __future__ import annotations


def test_phone_report_by_map_tap(page, login) -> None:
    page.set_viewport_size({"width": 390, "height": 860})
    login(page, "duty")
    page.goto("/incidents/new")
    page.wait_for_selector("#incident-map[data-ready=true]")
    box = page.locator("#incident-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.input_value("#lon").startswith("109.") and page.input_value("#lat").startswith("24.")
    page.select_option("select[name=kind]", "work_safety")
    page.fill("input[name=deaths]", "1")
    page.fill("input[name=reporter_name]", "报警人王某")
    page.click("#incident-form button[type=submit]")
    page.wait_for_selector("#timeline li")
    assert "接报（值班电话）" in page.locator("#timeline").inner_text()
    assert page.locator("#grade").inner_text() == "一般"
    assert page.locator("#obligations tr[data-code=county_to_city]").count() == 1
