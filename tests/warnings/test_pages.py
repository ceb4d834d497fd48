"""The pages: list, drafting form, sign-off page with recipients, coverage; the public page, feed,
CAP link and the SMS subscription."""

from __future__ import annotations

import re
from datetime import timedelta
from xml.etree import ElementTree

from sqlalchemy import func, select

from tests.warnings.helpers import NOW, SPEAKER_CIRCLE, published
from yingji.core.outbox import OutboxMessage
from yingji.warnings import cap
from yingji.warnings.models import WarningMessage


def test_nav_and_list(page_client, fixed_clock):
    c = page_client("duty")
    r = c.get("/warnings")
    assert r.status_code == 200 and "预警发布" in r.text and "新建预警" in r.text
    assert "未建设" not in re.search(r'href="/warnings".*?</a>', c.get("/").text, re.S).group(0)


def test_draft_to_published_through_the_pages(page_client, fixed_clock):
    duty, leader = page_client("duty"), page_client("leader")
    form = duty.get("/warnings/new")
    assert form.status_code == 200 and 'name="csrf_token"' in form.text
    r = duty.post(
        "/warnings/new",
        data={
            "csrf_token": duty.csrf,
            "event_type": "geological",
            "level": "yellow",
            "headline": "地质灾害气象风险黄色预警",
            "description": "风险较高",
            "instruction": "隐患点人员注意转移",
            "effective": "2026-06-01T10:00",
            "expires": "2026-06-02T10:00",
            "area_mode": "regions",
            "regions": ["450206105000"],
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    page = duty.get(url).text
    assert "接收对象（签发前预览）" in page and "农村大喇叭" in page
    assert duty.post(url + "/submit", data={"csrf_token": duty.csrf}, follow_redirects=False).status_code == 303
    assert "待他人审核签发" in duty.get(url).text
    leader.post(url + "/approve", data={"csrf_token": leader.csrf, "note": "同意"})
    leader.post(url + "/publish", data={"csrf_token": leader.csrf, "confirm_unreached": "1"})
    page = leader.get(url).text
    assert "已发布" in page and "覆盖率" in page and "CAP 1.2 XML" in page


def test_form_errors_are_shown_and_nothing_saved(page_client, fixed_clock, db):
    duty = page_client("duty")
    before = db.scalar(select(func.count()).select_from(WarningMessage))
    r = duty.post(
        "/warnings/new",
        data={
            "csrf_token": duty.csrf,
            "event_type": "rainstorm",
            "level": "red",
            "headline": "x",
            "effective": "2026-06-01T10:00",
            "expires": "2026-06-01T09:00",
            "area_mode": "polygon",
            "polygon": "[]",
        },
    )
    assert r.status_code == 422 and "field-error" in r.text
    assert "expires" in r.text and 'value="x"' in r.text  # the field is named and the form keeps what was typed
    assert db.scalar(select(func.count()).select_from(WarningMessage)) == before


def test_csrf_is_required(page_client):
    duty = page_client("duty")
    r = duty.post("/warnings/new", data={"event_type": "rainstorm"}, follow_redirects=False)
    assert r.status_code == 403


def test_dashboard_card_and_map_layer(page_client, api, fixed_clock):
    published(api, area=SPEAKER_CIRCLE, headline="仪表盘测试预警")
    c = page_client("duty")
    assert 'hx-get="/warnings/card"' in c.get("/").text
    card = c.get("/warnings/card")
    assert card.status_code == 200 and "覆盖率" in card.text and "仪表盘测试预警" in card.text
    assert '"url": "/api/v1/warnings/map.geojson"' in c.get("/map").text
    assert page_client("chem").get("/warnings/card").status_code == 403


def test_public_page_feed_and_cap(client, api, fixed_clock):
    w = published(api, area=SPEAKER_CIRCLE, headline="公众页面测试预警")
    page = client.get("/public/warnings")
    assert page.status_code == 200 and "公众页面测试预警" in page.text and 'name="viewport"' in page.text
    feed = client.get("/public/warnings.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(feed.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert any("公众页面测试预警" in t for t in titles)
    detail = client.get(f"/public/warnings/{w['identifier']}")
    assert detail.status_code == 200 and "防御指南" in detail.text
    xml = client.get(f"/public/warnings/{w['identifier']}.cap")
    assert xml.status_code == 200 and cap.validate(cap.safe_parse(xml.content)) == []
    assert client.get("/public/warnings/nope").status_code == 404


def test_expired_warnings_leave_the_public_page(client, api, fixed_clock):
    published(api, area=SPEAKER_CIRCLE, headline="将要过期的预警", expires=(NOW + timedelta(hours=1)).isoformat())
    assert "将要过期的预警" in client.get("/public/warnings").text
    fixed_clock(NOW + timedelta(hours=2))
    assert "将要过期的预警" not in client.get("/public/warnings").text


def _anon_csrf(client, url):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


def test_subscription_confirm_and_one_step_unsubscribe(client, db, fixed_clock):
    token = _anon_csrf(client, "/public/subscribe")
    r = client.post(
        "/public/subscribe",
        data={
            "csrf_token": token,
            "phone": "13912345678",
            "village_codes": ["450206105001"],
            "event_types": ["rainstorm"],
        },
    )
    assert r.status_code == 200 and "验证码已发送" in r.text
    msg = db.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.topic == "channels.sms", OutboxMessage.payload["headline"].as_string() == "预警订阅验证码")
        .order_by(OutboxMessage.id.desc())
    )
    code = re.search(r"验证码为 (\d{6})", msg.payload["text"]).group(1)
    unsub = re.search(r"/public/unsubscribe/(\S+)$", msg.payload["text"]).group(1)
    bad = client.post(
        "/public/subscribe/confirm",
        data={"csrf_token": token, "phone": "13912345678", "code": "000000" if code != "000000" else "111111"},
    )
    assert bad.status_code == 422 and "验证码不正确" in bad.text
    ok = client.post("/public/subscribe/confirm", data={"csrf_token": token, "phone": "13912345678", "code": code})
    assert ok.status_code == 200 and "订阅成功" in ok.text
    assert client.get(f"/public/unsubscribe/{unsub}").status_code == 200
    done = client.post(f"/public/unsubscribe/{unsub}", data={"csrf_token": token})
    assert done.status_code == 200 and "已退订" in done.text


def test_subscription_bad_input(client):
    token = _anon_csrf(client, "/public/subscribe")
    r = client.post("/public/subscribe", data={"csrf_token": token, "phone": "12345", "village_codes": ["x"]})
    assert r.status_code == 422 and "手机号" in r.text
    r = client.post("/public/subscribe", data={"phone": "13912345678", "village_codes": ["450206105001"]})
    assert r.status_code == 403  # no CSRF token
