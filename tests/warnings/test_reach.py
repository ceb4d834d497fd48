"""A warning never fails silently: publishing while some recipients have no configured channel needs a
confirmation that names the channels; the sign-off page shows which channel carries the warning to how
many; failed deliveries show the gateway's reason; per-channel counts add up once fallbacks ran; the
dashboard card shows a warning below its target in red."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from tests.channels.servers import LoopbackHttp
from tests.warnings.helpers import SPEAKER_CIRCLE, body, published
from yingji.bootstrap import bootstrap
from yingji.channels import http
from yingji.channels.fake import FakeChannel
from yingji.warnings.models import Delivery, WarningMessage
from yingji.warnings.service import delivery

ALL = ("sms", "email", "webhook", "loudspeaker")


def _signed(api, **overrides) -> int:
    duty, leader = api("duty"), api("leader")
    wid = duty.post("/api/v1/warnings", json=body(**overrides)).json()["id"]
    assert duty.post(f"/api/v1/warnings/{wid}/submit").status_code == 200
    assert leader.post(f"/api/v1/warnings/{wid}/approve", json={"note": "同意"}).status_code == 200
    return wid


def test_publishing_with_unconfigured_channels_needs_a_confirmation_naming_them(api, db, fixed_clock):
    # No channel configured at all (the suite switches the demo sandbox off).
    wid = _signed(api, area=SPEAKER_CIRCLE)
    r = api("leader").post(f"/api/v1/warnings/{wid}/publish")
    assert r.status_code == 409
    err = r.json()["error"]
    assert err["code"] == "unreached_recipients"
    fields = {d["field"] for d in err["details"]}
    assert fields == {"confirm_unreached"}
    text = " ".join(d["message"] for d in err["details"])
    assert "短信渠道未配置" in text and "农村大喇叭渠道未配置" in text
    # Refused means nothing changed: still signed, no identifier, no delivery rows.
    w = db.get(WarningMessage, wid)
    db.refresh(w)
    assert w.status == "approved" and w.identifier is None
    assert db.scalar(select(func.count()).where(Delivery.warning_id == wid)) == 0
    r = api("leader").post(f"/api/v1/warnings/{wid}/publish", json={"confirm_unreached": True})
    assert r.status_code == 200 and r.json()["status"] == "published"


def test_publishing_with_every_channel_configured_needs_no_confirmation(api, fixed_clock):
    bootstrap(channels={n: FakeChannel(n) for n in ALL})
    try:
        wid = _signed(api, area=SPEAKER_CIRCLE)
        assert api("leader").post(f"/api/v1/warnings/{wid}/publish").status_code == 200
    finally:
        bootstrap(channels={})


def test_unknown_publish_field_is_a_422(api, fixed_clock):
    wid = _signed(api, area=SPEAKER_CIRCLE)
    r = api("leader").post(f"/api/v1/warnings/{wid}/publish", json={"confirm": True})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"].endswith("confirm")


def test_sign_off_page_shows_channels_and_the_unreached(api, page_client, fixed_clock):
    bootstrap(channels={"loudspeaker": FakeChannel("loudspeaker")})  # only the loudspeakers work
    try:
        duty = api("duty")
        wid = duty.post("/api/v1/warnings", json=body(area=SPEAKER_CIRCLE)).json()["id"]
        duty.post(f"/api/v1/warnings/{wid}/submit")
        html = page_client("leader").get(f"/warnings/{wid}").text
    finally:
        bootstrap(channels={})
    assert 'id="channels-plan"' in html
    assert '<tr data-channel="loudspeaker" ><td>农村大喇叭</td>' in html
    assert '<tr data-channel="sms" style="color: var(--red)"><td>短信</td>' in html
    assert "没有可用渠道，发布后收不到：短信未配置" in html


def test_publish_page_form_requires_the_confirmation(api, page_client, fixed_clock):
    wid = _signed(api, area=SPEAKER_CIRCLE)
    leader = page_client("leader")
    html = leader.get(f"/warnings/{wid}").text
    assert 'name="confirm_unreached" value="1" required' in html
    r = leader.post(f"/warnings/{wid}/publish", data={"csrf_token": leader.csrf}, follow_redirects=False)
    assert r.status_code == 409 and "没有可用渠道" in r.text
    r = leader.post(
        f"/warnings/{wid}/publish", data={"csrf_token": leader.csrf, "confirm_unreached": "1"}, follow_redirects=False
    )
    assert r.status_code == 303


def test_counts_add_up_per_channel_after_fallbacks(api, db, database, fixed_clock):
    w = published(api, area=SPEAKER_CIRCLE)
    rows = list(db.scalars(select(Delivery).where(Delivery.warning_id == w["id"])))
    speakers = [r for r in rows if r.channel == "loudspeaker"]
    assert speakers and all("sms" in (r.fallbacks or {}) for r in speakers)  # the scenario: SMS behind them
    sms_first = len([r for r in rows if r.channel == "sms"])
    # Every loudspeaker and every SMS fails for good: each loudspeaker falls back to SMS, which fails too.
    chans = {n: FakeChannel(n) for n in ALL}
    chans["loudspeaker"] = FakeChannel("loudspeaker", fail_all=True)
    chans["sms"] = FakeChannel("sms", fail_all=True)
    from yingji.warnings.settings import settings

    for _ in range(settings().delivery_max_attempts + 2):
        delivery.run(database, channels=chans, warning_id=w["id"], lease_s=0)
        db.execute(
            Delivery.__table__.update()
            .where(Delivery.warning_id == w["id"], Delivery.status == "pending")
            .values(available_at=Delivery.created_at)
        )
    cov = api("duty").get(f"/api/v1/warnings/{w['id']}/coverage").json()
    sms = cov["by_channel"]["sms"]
    fallback_sms = db.scalar(
        select(func.count()).where(
            Delivery.warning_id == w["id"], Delivery.channel == "sms", Delivery.fallback_of.is_not(None)
        )
    )
    assert fallback_sms > 0
    assert sms["targeted"] == sms_first + fallback_sms and sms["fallback"] == fallback_sms
    for name, c in cov["by_channel"].items():
        assert c["sent"] + c["failed"] + c["pending"] == c["targeted"], name
        assert c["failed"] <= c["targeted"], name
    # Before, only first-choice rows were targets while fallback rows were counted as sent/failed/pending:
    # the SMS line added up to more than its "targeted" (the 484 failed of 483 targeted).
    assert sms["sent"] + sms["failed"] + sms["pending"] > sms_first


def test_failed_deliveries_show_the_gateways_reason(api, page_client, db, database, fixed_clock):
    w = published(api, area=SPEAKER_CIRCLE)
    chans = {n: FakeChannel(n) for n in ("email", "webhook", "loudspeaker")}  # SMS not configured
    delivery.run(database, channels=chans, warning_id=w["id"])
    html = page_client("duty").get(f"/warnings/{w['id']}").text
    assert 'id="failures"' in html and "未配置短信渠道" in html


def test_gateway_refusal_and_timeout_are_told_apart():
    def respond(rec):
        if rec.path == "/slow":
            time.sleep(1.5)
            return 200, {"Code": "OK", "BizId": "1"}
        return 400, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控"}

    gw = LoopbackHttp(respond).start()
    try:
        refused = http.post(gw.url + "/sms", json={}, receipt=lambda r: "x")
        slow = http.post(gw.url + "/slow", json={}, receipt=lambda r: "x", timeout_s=0.5)
    finally:
        gw.stop()
    assert refused.error.startswith("网关拒绝：HTTP 400") and "isv.BUSINESS_LIMIT_CONTROL" in refused.error
    assert refused.permanent
    assert slow.error == "网关超时：0.5 秒内无应答" and not slow.permanent


def test_dashboard_card_shows_a_warning_below_target_in_red(api, page_client, database, fixed_clock):
    w = published(api, area=SPEAKER_CIRCLE, headline="柳江区应急管理局发布暴雨橙色预警（覆盖测试）")
    delivery.run(database, channels={"sms": FakeChannel("sms")}, warning_id=w["id"])  # the rest: unconfigured
    html = page_client("duty").get("/warnings/card").text
    assert 'data-stat="below-target"' in html
    assert "暴雨橙色预警（覆盖测试）" in html and "未全部送达" in html
