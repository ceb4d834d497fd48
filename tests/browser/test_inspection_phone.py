"""Inspections on a phone, offline (issue 14 point 5): the demo inspector opens an inspection it is assigned,
goes offline, records two findings each with a photo, both inspectors sign and the enterprise acknowledges;
a reload keeps the draft (the API unreachable), the sync when back replays the queue in order and the
server holds exactly two findings with one photo each; a second replay of the whole queue changes nothing."""

from __future__ import annotations

import io

from PIL import Image

API = "/api/v1/enforcement/inspections"


def photo(colour: tuple[int, int, int]) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return {"name": "site.png", "mimeType": "image/png", "buffer": out.getvalue()}


def sign(page, box) -> None:
    canvas = box.locator("canvas")
    canvas.scroll_into_view_if_needed()
    b = canvas.bounding_box()
    page.mouse.move(b["x"] + 20, b["y"] + 30)
    page.mouse.down()
    for step in range(1, 8):
        page.mouse.move(b["x"] + 20 + step * 25, b["y"] + 30 + (step % 2) * 40)
    page.mouse.up()
    box.locator(".sig-save").click()


def server_state(page, inspection_id: int) -> tuple[list, list]:
    found = page.request.get(f"{API}/{inspection_id}/findings").json()["items"]
    files = page.request.get(f"{API}/{inspection_id}/attachments").json()["items"]
    return found, files


def start_inspection(page, login) -> int:
    """The duty officer starts an inspection by the two demo inspector accounts (under a demo inspection's
    published item, at its enterprise)."""
    login(page, "duty")
    csrf = page.evaluate("() => JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token']")
    model = page.request.get(API).json()["items"][0]
    team = [i["id"] for i in page.request.get("/api/v1/enforcement/inspectors").json()["items"] if i["user_id"]][:2]
    r = page.request.post(API, headers={"X-CSRF-Token": csrf}, data={
        "client_key": "browser-phone-test-1", "item_id": model["item_id"], "enterprise_id": model["enterprise_id"],
        "inspector_ids": team})
    assert r.status == 201, r.text()
    page.context.clear_cookies()
    return r.json()["id"]


def test_offline_draft_survives_a_reload_and_syncs_once(page, login) -> None:
    inspection_id = start_inspection(page, login)
    login(page, "inspector")
    assert inspection_id in {i["id"] for i in page.request.get(API).json()["items"]}
    before, before_files = server_state(page, inspection_id)
    page.goto(f"/enforcement/inspections/{inspection_id}/phone")
    page.wait_for_function("() => document.getElementById('phone-status').dataset.pending === '0'")

    page.context.set_offline(True)
    page.wait_for_function("() => document.getElementById('phone-status').dataset.online === 'false'")
    for n, (text, colour) in enumerate([("安全出口锁闭（演示）", (200, 0, 0)), ("灭火器过期（演示）", (0, 0, 200))]):
        page.fill("textarea[name=description]", text)
        page.select_option("select[name=checklist_number]", index=1 + n)
        page.set_input_files("input[name=photo]", files=[photo(colour)])
        page.click("#finding-form button[type=submit]")
        page.wait_for_function(f"() => document.querySelectorAll('#draft-findings li').length === {n + 1}")
    boxes = page.locator(".signature")
    assert boxes.count() >= 3  # two inspectors at least, and the enterprise
    for i in range(boxes.count() - 1):
        sign(page, boxes.nth(i))
    ack = boxes.nth(boxes.count() - 1)
    ack.locator(".signer-name").fill("王厂长（演示）")
    sign(page, ack)
    expected = 4 + boxes.count()  # two findings, two photos, the signatures
    page.wait_for_function(
        f"() => document.getElementById('phone-status').dataset.pending === '{expected}'")
    assert server_state(page, inspection_id) == (before, before_files)  # nothing left the phone

    # A reload on a bad line: the page loads, the API does not answer; the draft is all there.
    page.route("**/api/v1/enforcement/inspections/*/**", lambda route: route.abort())
    page.context.set_offline(False)
    page.reload()
    page.wait_for_function(
        f"() => document.getElementById('phone-status').dataset.pending === '{expected}'")
    page.wait_for_function("() => document.querySelectorAll('#draft-findings li').length === 2")
    page.unroute("**/api/v1/enforcement/inspections/*/**")

    page.evaluate("() => window.yingjiPhone.sync()")
    page.wait_for_function("() => document.getElementById('phone-status').dataset.pending === '0'")
    found, files = server_state(page, inspection_id)
    new = [f for f in found if f["id"] not in {b["id"] for b in before}]
    assert sorted(f["description"] for f in new) == ["安全出口锁闭（演示）", "灭火器过期（演示）"]
    new_files = [a for a in files if a["id"] not in {b["id"] for b in before_files}]
    photos = [a for a in new_files if a["kind"] == "photo"]
    assert sorted(a["finding_id"] for a in photos) == sorted(f["id"] for f in new)  # one photo each
    assert len([a for a in new_files if a["kind"] == "inspector_signature"]) == boxes.count() - 1
    assert [a["signer_name"] for a in new_files if a["kind"] == "enterprise_signature"] == ["王厂长（演示）"]

    # Replaying the whole queue (a sync the phone believes failed) makes nothing twice.
    page.evaluate("() => window.yingjiPhone.replay()")
    page.wait_for_function("() => document.getElementById('phone-status').dataset.pending === '0'")
    page.evaluate("() => window.yingjiPhone.sync()")
    assert server_state(page, inspection_id) == (found, files)
