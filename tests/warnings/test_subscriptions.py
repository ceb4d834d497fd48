"""SMS subscription: code by SMS (through the outbox), confirmation rules, one-step unsubscribe, and the
subscriber then receiving warnings for the village."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.warnings.helpers import NOW
from yingji.channels import handlers as channels_handlers
from yingji.channels import service as channels_service
from yingji.channels.fake import FakeChannel
from yingji.core.outbox import OutboxMessage
from yingji.warnings.models import Subscriber
from yingji.warnings.service import recipients
from yingji.warnings.service.area import parse_area

PHONE = "13700001111"


class _Code:
    """The code SMS as queued on the one SMS path, with the code and unsubscribe token read from its text."""

    def __init__(self, msg: OutboxMessage) -> None:
        self.msg = msg
        self.code = re.search(r"验证码为 (\d{6})", msg.payload["text"]).group(1)
        self.token = re.search(r"/public/unsubscribe/(\S+)$", msg.payload["text"]).group(1)


def _code(db) -> _Code:
    msg = db.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.topic == "channels.sms", OutboxMessage.payload["headline"].as_string() == "预警订阅验证码")
        .order_by(OutboxMessage.id.desc())
    )
    return _Code(msg)


def test_subscribe_confirm_receive_unsubscribe(client, db, fixed_clock, monkeypatch):
    r = client.post(
        "/api/v1/warnings/subscriptions",
        json={"phone": "+86 137-0000-1111", "village_codes": ["450206106001", "450206106201"]},
    )
    assert r.status_code == 202, r.text
    rows = list(db.scalars(select(Subscriber).where(Subscriber.phone == PHONE)))
    assert len(rows) == 2 and all(s.status == "pending" for s in rows)
    msg = _code(db)
    # The one SMS path sends the code (and the channels page does not show it).
    assert msg.msg.payload["sensitive"] is True and msg.msg.max_attempts == 3
    sms = FakeChannel("sms")
    monkeypatch.setattr(channels_service, "configured", lambda channels=None: {"sms": sms})
    channels_handlers.send_sms(db, msg.msg)
    assert msg.code in sms.sent[0][1].text and sms.sent[0][0].address == PHONE
    area = parse_area(db=db, area={"regions": ["450206106001"]})
    assert PHONE not in {t.address for t in recipients.resolve(db=db, area=area, event_type="rainstorm")}
    r = client.post("/api/v1/warnings/subscriptions/confirm", json={"phone": PHONE, "code": msg.code})
    assert r.status_code == 200 and r.json() == {"status": "active", "subscriptions": 2}
    assert PHONE in {t.address for t in recipients.resolve(db=db, area=area, event_type="rainstorm")}
    r = client.post("/api/v1/warnings/subscriptions/unsubscribe", json={"token": msg.token})
    assert r.json()["subscriptions"] == 2
    assert PHONE not in {t.address for t in recipients.resolve(db=db, area=area, event_type="rainstorm")}


def test_code_rules(client, db, fixed_clock):
    body = {"phone": PHONE, "village_codes": ["450206106001"]}
    assert client.post("/api/v1/warnings/subscriptions", json=body).status_code == 202
    assert client.post("/api/v1/warnings/subscriptions", json=body).status_code == 429  # resend after 60 s
    code = _code(db).code
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert (
            client.post("/api/v1/warnings/subscriptions/confirm", json={"phone": PHONE, "code": wrong}).status_code
            == 422
        )
    r = client.post("/api/v1/warnings/subscriptions/confirm", json={"phone": PHONE, "code": code})
    assert r.status_code == 422 and "次数过多" in r.json()["error"]["message"]
    fixed_clock(NOW + timedelta(seconds=61))
    assert client.post("/api/v1/warnings/subscriptions", json=body).status_code == 202
    code = _code(db).code
    fixed_clock(NOW + timedelta(minutes=12))
    r = client.post("/api/v1/warnings/subscriptions/confirm", json={"phone": PHONE, "code": code})
    assert r.status_code == 422 and "过期" in r.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phone": "1234", "village_codes": ["450206106001"]}, "phone"),
        ({"phone": PHONE, "village_codes": ["nope"]}, "village_codes"),
        ({"phone": PHONE, "village_codes": []}, "village_codes"),
        ({"phone": PHONE, "village_codes": ["450206106001"], "event_types": ["meteor"]}, "event_types"),
        ({"phone": PHONE, "lon": 120.0, "lat": 30.0}, "lon"),
    ],
)
def test_bad_subscriptions_change_nothing(client, db, body, field):
    r = client.post("/api/v1/warnings/subscriptions", json=body)
    assert r.status_code == 422 and any(d["field"] == field for d in r.json()["error"]["details"])
    assert db.scalar(select(Subscriber).where(Subscriber.phone == PHONE)) is None


def test_unknown_unsubscribe_token(client):
    assert client.post("/api/v1/warnings/subscriptions/unsubscribe", json={"token": "nope"}).status_code == 404
