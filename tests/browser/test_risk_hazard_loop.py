"""A hidden hazard from report to 销号 in a real browser: the enterprise reports and rectifies, the duty
officer confirms, verifies and closes; then the four-colour layers on the 一张图 map."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORDS
from tests.risk.test_public_reports import solve

pytestmark = pytest.mark.browser_postgres  # the flow's commits and queries matter on PostgreSQL too


def sign_in(browser, live_server, username):
    context = browser.new_context(base_url=live_server, viewport={"width": 412, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORDS[username])
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    return page


def act(page, action: str, note: str = "") -> None:
    form = page.locator(f"form[data-action={action}]")
    if note:
        form.locator("textarea[name=note]").fill(note)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_hazard_from_report_to_closure(browser, live_server) -> None:
    chem = sign_in(browser, live_server, "chem")  # a phone-sized window
    duty = sign_in(browser, live_server, "duty")

    chem.goto("/risk/hazards/new")
    chem.fill("input[name=title]", "浏览器测试：罐区报警器失效")
    chem.fill("textarea[name=description]", "2 台可燃气体报警器不报警")
    chem.fill("input[name=deadline]", "2099-06-30")
    chem.click("#hazard-form button[type=submit]")
    chem.wait_for_url("**/risk/hazards/*")
    url = chem.url
    assert chem.locator("#hazard-status").inner_text() == "已上报"

    duty.goto(url)
    act(duty, "confirm", "现场核实属实")
    assert duty.locator("#hazard-status").inner_text() == "已确认"

    chem.goto(url)
    act(chem, "start", "已制定整改方案")
    assert chem.locator("#hazard-status").inner_text() == "整改中"
    act(chem, "complete", "已更换并检定报警器")
    assert chem.locator("#hazard-status").inner_text() == "已整改待验收"

    duty.goto(url)
    act(duty, "verify", "现场验收合格")
    act(duty, "close", "同意销号")
    assert duty.locator("#hazard-status").inner_text() == "已销号"
    timeline = duty.locator("#timeline li")
    assert timeline.count() == 6
    assert "同意销号" in timeline.nth(5).inner_text()
    assert duty.locator("form[data-action=close]").count() == 0


def test_four_colour_layers_on_the_map(page, login) -> None:
    login(page, "duty")
    page.goto("/map")
    page.wait_for_selector("#map[data-risk-ready=true]")
    assert page.locator("path.risk-enterprises").count() == 0  # off by default: major hazard sources are on
    page.check("input[data-layer='risk.enterprises']")
    page.wait_for_selector(".layer-row[data-layer='risk.enterprises'][data-state=ok]")
    assert page.locator("path.risk-enterprises").count() > 50
    for level in ("red", "orange", "yellow", "blue"):
        assert page.locator(f"path.risk-enterprises.risk-{level}").count() > 0, level
    assert page.locator(".risk-major").count() >= 4
    before = page.locator("path.risk-enterprises").count()
    page.select_option("#risk-industry", "hazardous_chemicals")
    page.wait_for_function(f"() => document.querySelectorAll('path.risk-enterprises').length < {before}")
    assert 0 < page.locator("path.risk-enterprises").count() <= 26


def test_public_report_is_submitted_without_login_and_reaches_staff(page, browser, live_server) -> None:
    page.goto("/risk/public/report")
    assert page.locator("h1").inner_text() == "安全隐患举报"
    page.fill("textarea[name=description]", "浏览器测试：村口仓库违规存放液化气钢瓶")
    page.select_option("select[name=region_code]", index=1)
    page.fill("input[name=place]", "村口")
    page.fill("input[name=captcha_answer]", solve(page.locator("#captcha").inner_html()))
    page.click("form[action='/risk/public/report'] button[type=submit]")
    code = page.locator("#tracking-code").inner_text().strip()
    assert code
    page.goto(f"/risk/public/track?code={code}")
    assert "待核实" in page.locator("body").inner_text()
    duty = sign_in(browser, live_server, "duty")
    duty.goto("/risk/reports")
    assert "浏览器测试：村口仓库违规存放液化气钢瓶" in duty.locator("body").inner_text()
