"""Resources in a real browser: the map shows teams, shelters, warehouses and the villages outside the
shelters' service radius; a township officer sets a team's status from the list on a phone-sized screen."""

from __future__ import annotations


def test_map_shows_resource_layers(page, login) -> None:
    login(page, "duty")
    page.goto("/map")
    page.wait_for_selector("#map[data-resources-ready=true]")
    # Shelters are on by default; teams, warehouses and the coverage gaps are one tick away.
    for layer in ("resources.teams", "resources.warehouses", "resources.coverage"):
        page.check(f"input[data-layer='{layer}']")
        page.wait_for_selector(f".layer-row[data-layer='{layer}'][data-state=ok]")
    assert page.locator("path.resource-team").count() > 100  # 118 community teams and more
    assert page.locator("path.resource-shelter").count() > 10
    assert page.locator("path.resource-warehouse").count() == 9
    assert page.locator("path.coverage-outside").count() > 0


def test_township_sets_team_status_on_a_phone(page, login) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    login(page, "labao")
    page.goto("/resources/teams?kind=community")
    row = page.locator("tbody tr").first
    row.locator("select[name=status]").select_option("deployed")
    page.wait_for_selector("tbody tr:first-child td[data-status=deployed]")
    page.reload()
    assert page.locator("tbody tr").first.locator("td[data-status]").get_attribute("data-status") == "deployed"
