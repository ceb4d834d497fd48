"""A duty officer sees the monitoring network on the 一张图 map, opens an alarm and a station's chart."""

from __future__ import annotations


def test_map_shows_stations_and_alarms_and_station_chart(page, login) -> None:
    login(page, "duty")
    page.wait_for_selector("#monitoring-card a[href^='/monitoring/alarms/']")  # the dashboard card loaded
    page.goto("/map")
    page.wait_for_selector("#map[data-monitoring-ready=true]")
    alarms = int(page.locator(".layer-row[data-layer='monitoring.alarms']").get_attribute("data-count"))
    assert alarms >= 5  # the demo shower and gas leak
    assert page.locator("path.sensor-marker").count() == alarms  # only stations in alarm by default
    page.check("input[data-layer='monitoring.stations']")
    page.wait_for_selector(".layer-row[data-layer='monitoring.stations'][data-state=ok]")
    assert page.locator("path.sensor-marker").count() == 298
    assert page.locator("path.sensor-marker.alarm-orange").count() >= 5

    page.goto("/monitoring")
    page.locator("#alarms a[href^='/monitoring/alarms/']").first.click()
    page.wait_for_selector("text=处置记录")
    page.fill("form[action$='/acknowledge'] input[name=note]", "已电话联系站点")
    page.click("form[action$='/acknowledge'] button")
    page.wait_for_selector("[data-state=acknowledged]")

    page.goto("/monitoring")
    page.locator("#alarms a[href^='/monitoring/sensors/']").first.click()
    page.click("text=3天")
    page.wait_for_selector("#sensor-chart canvas")
    assert int(page.locator("#sensor-chart").get_attribute("data-points")) > 0
