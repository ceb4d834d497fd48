"""Each adapter against a real server on loopback: an SMTP server, an HTTP SMS gateway, a webhook
receiver and a broadcast endpoint."""

from __future__ import annotations

import email
import hashlib
import hmac
import json
from datetime import UTC, datetime
from urllib.parse import parse_qsl, unquote

import pytest

from tests.channels.servers import LoopbackHttp, SmtpSink
from yingji.channels.base import Message, Recipient
from yingji.channels.config import ChannelSettings, from_settings
from yingji.channels.email import SmtpEmail
from yingji.channels.loudspeaker import Loudspeaker, render_speech
from yingji.channels.sms import SmsGateway, aliyun_signature
from yingji.channels.webhook import Webhook, signature

MSG = Message(
    key="45020600000000_20260601100000:7",
    headline="暴雨橙色预警",
    text="【柳江区应急管理局】暴雨橙色预警：请注意防范。",
    level="orange",
    event="rainstorm",
    payload={"identifier": "45020600000000_20260601100000"},
)
CLOCK = lambda: datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # noqa: E731


@pytest.fixture
def http_server():
    servers = []

    def start(respond=None) -> LoopbackHttp:
        s = LoopbackHttp(respond).start()
        servers.append(s)
        return s

    yield start
    for s in servers:
        s.stop()


def test_sms_json_gateway(http_server):
    gw = http_server()
    r = SmsGateway(url=gw.url + "/sms", format="json").send(to=Recipient("张三", "13800138000"), message=MSG)
    assert r.ok and r.receipt == "r1"
    sent = json.loads(gw.requests[0].body)
    assert sent == {"to": "13800138000", "text": MSG.text, "id": MSG.key}
    assert gw.requests[0].headers["idempotency-key"] == MSG.key


def test_sms_aliyun_format_is_signed(http_server):
    gw = http_server(lambda rec: (200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0"}))
    sms = SmsGateway(
        url=gw.url,
        format="aliyun",
        access_key="testid",
        secret="testsecret",
        sign_name="柳江应急",
        template="SMS_1",
        clock=CLOCK,
    )
    r = sms.send(to=Recipient("", "13800138000"), message=MSG)
    assert r.ok and r.receipt == "900619746936498440^0"
    params = dict(parse_qsl(gw.requests[0].body.decode()))
    assert params["Action"] == "SendSms" and params["PhoneNumbers"] == "13800138000" and params["OutId"] == MSG.key
    assert json.loads(params["TemplateParam"]) == {"content": MSG.text}
    sig = params.pop("Signature")
    assert sig == aliyun_signature(params, "testsecret")  # the gateway can verify it


def test_aliyun_signature_worked_example():
    """The worked example of Alibaba Cloud's RPC signature documentation (DescribeRegions, GET)."""
    params = {
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "Format": "XML",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z",
        "Version": "2014-05-26",
    }
    assert aliyun_signature(params, "testsecret", method="GET") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_sms_aliyun_error_code_is_a_failure(http_server):
    gw = http_server(lambda rec: (200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}))
    r = SmsGateway(url=gw.url, format="aliyun", access_key="k", secret="s").send(to=Recipient("", "1"), message=MSG)
    assert not r.ok and "MOBILE_NUMBER_ILLEGAL" in r.error


def test_sms_tencent_format(http_server):
    gw = http_server(
        lambda rec: (
            200,
            {
                "Response": {
                    "SendStatusSet": [{"SerialNo": "5000:1045710669157053657849499619", "Code": "Ok"}],
                    "RequestId": "a",
                }
            },
        )
    )
    sms = SmsGateway(
        url=gw.url,
        format="tencent",
        access_key="AKID",
        secret="sk",
        sign_name="柳江应急",
        template="1234",
        app_id="1400000000",
        clock=CLOCK,
    )
    r = sms.send(to=Recipient("", "13800138000"), message=MSG)
    assert r.ok and r.receipt.startswith("5000:")
    req = gw.requests[0]
    sent = json.loads(req.body)
    assert sent["PhoneNumberSet"] == ["+8613800138000"] and sent["SessionContext"] == MSG.key
    assert req.headers["x-tc-action"] == "SendSms"
    assert req.headers["authorization"].startswith("TC3-HMAC-SHA256 Credential=AKID/2026-06-01/sms/tc3_request")


def test_sms_gateway_down_is_a_retryable_failure():
    r = SmsGateway(url="http://127.0.0.1:9/sms").send(to=Recipient("", "13800138000"), message=MSG)
    assert not r.ok and not r.permanent


def test_sms_http_4xx_is_permanent(http_server):
    gw = http_server(lambda rec: (400, {"error": "bad number"}))
    r = SmsGateway(url=gw.url).send(to=Recipient("", "x"), message=MSG)
    assert not r.ok and r.permanent


def test_email_over_real_smtp():
    sink = SmtpSink().start()
    try:
        mail = SmtpEmail(host="127.0.0.1", port=sink.port, sender="yjj@example.gov.cn")
        r = mail.send(to=Recipient("学校", "school@example.edu.cn"), message=MSG)
        assert r.ok and r.receipt.startswith("<45020600000000_20260601100000.7@")
        env = sink.messages[0]
        assert env.rcpt_tos == ["school@example.edu.cn"]
        parsed = email.message_from_bytes(env.content)
        assert parsed["Message-ID"] == r.receipt
        assert "请注意防范" in parsed.get_payload(decode=True).decode("utf-8")
    finally:
        sink.stop()


def test_email_server_down_is_a_failure():
    r = SmtpEmail(host="127.0.0.1", port=9, sender="a@example.cn").send(to=Recipient("", "b@example.cn"), message=MSG)
    assert not r.ok


def test_webhook_is_hmac_signed(http_server):
    rx = http_server(lambda rec: (202, {"receipt": "tv-1"}))
    r = Webhook(secret="s3cret", clock=lambda: 1780279200).send(to=Recipient("电视台", rx.url + "/hook"), message=MSG)
    assert r.ok and r.receipt == "tv-1"
    req = rx.requests[0]
    expected = "sha256=" + hmac.new(b"s3cret", b"1780279200." + req.body, hashlib.sha256).hexdigest()
    assert req.headers["x-yingji-signature"] == expected == signature("s3cret", "1780279200", req.body)
    payload = json.loads(req.body)
    assert payload["id"] == MSG.key and payload["identifier"] == "45020600000000_20260601100000"


def test_loudspeaker_renders_mandarin_wav_and_pushes_it(http_server):
    ep = http_server(lambda rec: (200, {"receipt": "played"}))
    r = Loudspeaker(endpoint=ep.url + "/broadcast").send(to=Recipient("大喇叭", "lb-450206100001"), message=MSG)
    assert r.ok and r.receipt == "played"
    req = ep.requests[0]
    assert req.path == "/broadcast/lb-450206100001"
    assert req.headers["content-type"] == "audio/wav"
    assert req.body[:4] == b"RIFF" and req.body[8:12] == b"WAVE" and len(req.body) > 10_000
    assert unquote(req.headers["x-broadcast-text"]) == MSG.text


def test_render_speech_without_espeak_is_a_clear_error(tmp_path):
    with pytest.raises(RuntimeError):
        render_speech("测试", espeak=str(tmp_path / "missing-espeak"))


def test_adapters_chosen_by_configuration():
    chans = from_settings(ChannelSettings(sms_url="http://127.0.0.1:1/sms", webhook_secret="x"))
    assert set(chans) == {"sms", "webhook"}
    assert set(from_settings(ChannelSettings(fake=True))) == {"sms", "email", "webhook", "loudspeaker"}
    with pytest.raises(ValueError):
        SmsGateway(url="http://x", format="carrier-pigeon")
