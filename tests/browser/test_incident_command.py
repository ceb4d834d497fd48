"""A duty officer takes a phone report through to a dispatch and a sitrep: the report form (place by a tap
on the village map) lands on the command workspace; the map shows the incident, and the officer draws
the affected area, starts the response, sends the nearest team and signs a sitrep — while the leader's
workspace, open in another browser, receives every new timeline entry live (server-sent events)."""

from __future__ import annotations

from tests.browser.conftest import PASSWORDS


def sign_in(page, username: str) -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORDS[username])
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def test_phone_report_to_dispatch_and_sitrep(page, browser, live_server) -> None:
    errors = []
    page.on("console", lambda m: errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, "duty")
    page.goto("/incidents/new")
    page.wait_for_selector("#incident-map[data-ready=true]")
    box = page.locator("#incident-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.select_option("select[name=kind]", "flood")
    page.fill("input[name=trapped]", "3")
    page.fill("input[name=reporter_name]", "村民覃某")
    page.click("#incident-form button[type=submit]")
    page.wait_for_selector("#map[data-workspace-ready=true]")
    assert page.locator(".incident-marker").count() == 1
    workspace = page.url

    # The leader opens the same workspace in another browser and watches it.
    other = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 800}, locale="zh-CN")
    leader = other.new_page()
    leader.set_default_timeout(30_000)
    sign_in(leader, "leader")
    leader.goto(workspace)
    leader.wait_for_selector("body[data-live=true]")
    assert leader.locator("#dispatch").count() == 0  # the leader reads, the duty room commands

    # The affected area: three taps on the map, saved.
    page.click("#area-draw")
    mbox = page.locator("#map").bounding_box()
    for fx, fy in ((0.2, 0.55), (0.45, 0.55), (0.35, 0.8)):  # the left half: the layer panel is on the right
        page.mouse.click(mbox["x"] + mbox["width"] * fx, mbox["y"] + mbox["height"] * fy)
    page.click("#area-draw")
    assert '"Polygon"' in page.input_value("#area-input"), errors
    page.click("#area-form button[type=submit]")
    page.wait_for_selector(".incident-area")
    leader.wait_for_selector("#timeline li[data-kind=area]")

    page.select_option("#response-form select[name=action]", "start")
    page.select_option("#response-form select[name=level]", "IV")
    page.fill("#response-form input[name=decided_by]", "区应急指挥部指挥长")
    page.click("#response-form button[type=submit]")
    assert page.locator("#response-level").inner_text() == "四级响应"
    leader.wait_for_selector("#timeline li[data-kind=response]")
    leader.wait_for_function("() => document.getElementById('response-level').textContent.includes('四级')")

    page.wait_for_selector("#dispatch-panel[data-ready=true]")
    first = page.locator("#team-candidates tr[data-team-id]").first
    team = first.locator("td").first.inner_text()
    first.locator("input[name=instructions]").fill("转移被困群众")
    first.locator("button[type=submit]").click()
    page.wait_for_selector("#status-link a")
    assert page.locator(f"#order-list tr[data-status=sent]:has-text('{team}')").count() == 1
    leader.wait_for_selector("#timeline li[data-kind=order]")
    leader.wait_for_selector("#order-list tr[data-status=sent]")

    # The team acknowledges from its status link on a phone, no log-in.
    link = page.locator("#status-link a").get_attribute("href")
    phone_ctx = browser.new_context(viewport={"width": 390, "height": 800}, locale="zh-CN")
    phone = phone_ctx.new_page()
    phone.goto(link)
    phone.click("button[value=acknowledged]")
    phone.wait_for_selector("#order-status[data-status=acknowledged]")
    leader.wait_for_selector("#timeline li[data-kind=ack]")
    leader.wait_for_selector("#order-list tr[data-status=acknowledged]")

    page.goto(workspace)
    page.fill("#sitrep-form textarea[name=body]", "拉堡镇内涝，被困 3 人，已派出救援队伍。")
    page.click("#sitrep-form button[type=submit]")
    page.wait_for_selector("#sitreps article[data-number='1']")
    assert "签发：值班员 韦明" in page.locator("#sitreps").inner_text()
    leader.wait_for_selector("#sitreps article[data-number='1']")
    assert "第 1 期" in leader.locator("#timeline").inner_text()
    phone_ctx.close()
    other.close()
