"""A warning from draft to published in the browser: the duty officer draws the area on the map and
submits; the leader signs and publishes; the public page shows it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser_postgres  # the flow's commits and queries matter on PostgreSQL too


def test_warning_from_draft_to_published(page, login, browser, live_server):
    login(page, "duty")
    page.goto("/warnings")
    page.click("text=新建预警")
    page.select_option("select[name=event_type]", "waterlogging")
    page.select_option("select[name=level]", "yellow")
    page.fill("input[name=headline]", "柳江区城市内涝黄色预警（浏览器测试）")
    page.fill("textarea[name=description]", "城区低洼路段可能出现积水。")
    page.fill("textarea[name=instruction]", "绕行积水路段。")
    page.check("input[name=area_mode][value=polygon]")
    page.wait_for_function("() => document.querySelectorAll('#draw-map path').length > 0")
    page.locator("#draw-map").scroll_into_view_if_needed()
    box = page.locator("#draw-map").bounding_box()
    for dx, dy in ((0.45, 0.45), (0.55, 0.45), (0.55, 0.55), (0.45, 0.55)):
        page.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
    assert page.locator("#vertex-count").inner_text() == "4"
    page.click("button:has-text('保存草稿')")
    page.wait_for_selector("text=接收对象（签发前预览）")
    assert page.locator("[data-field=status]").inner_text().startswith("草稿")
    page.click("[data-action=submit]")
    page.wait_for_selector("text=待他人审核签发")
    url = page.url

    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 390, "height": 844})
    leader = context.new_page()
    leader.set_default_timeout(30_000)
    login(leader, "leader")
    leader.goto(url)
    leader.fill("input[name=note]", "同意发布")
    leader.click("[data-action=approve]")
    leader.wait_for_selector("[data-action=publish]")
    # No channel is configured on this server (the sandbox is off): publishing must name who cannot be
    # reached and wait for the signer to confirm it.
    unreached = leader.locator("[data-field=confirm_unreached]")
    assert unreached.count() == 1
    assert "未配置" in leader.locator("label.unreached").inner_text()
    leader.click("[data-action=publish]")  # refused by the form until confirmed
    assert leader.locator("[data-field=status]").inner_text().startswith("已签发")
    unreached.check()
    leader.click("[data-action=publish]")
    leader.wait_for_selector("#coverage")
    assert leader.locator("[data-field=status]").inner_text().startswith("已发布")
    identifier = leader.locator("[data-field=identifier]").inner_text()
    assert identifier.startswith("45020600000000_")
    leader.goto("/public/warnings")  # the public page, on a phone-sized screen
    leader.wait_for_selector("text=柳江区城市内涝黄色预警（浏览器测试）")
    context.close()
