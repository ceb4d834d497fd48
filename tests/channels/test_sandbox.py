"""The demo sandbox gateway (演示通道): on with the demo data set (or explicitly), never by accident in
production; with it a warning is delivered end to end (receipts, coverage) and a page shows what each
phone got and plays the loudspeaker's audio."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.warnings.helpers import SPEAKER_CIRCLE, published
from yingji.bootstrap import bootstrap
from yingji.channels import sandbox
from yingji.channels import service as channels_service
from yingji.channels.config import ChannelSettings, from_settings
from yingji.channels.sms import SmsGateway
from yingji.warnings.models import Delivery
from yingji.warnings.service import delivery

ALL = {"sms", "email", "webhook", "loudspeaker"}


def _sandboxed(found: dict) -> set[str]:
    return {name for name, c in found.items() if channels_service.is_sandbox(c)}


def test_auto_only_with_the_demo_data_set():
    assert from_settings(ChannelSettings(sandbox="auto"), demo_loaded=False) == {}  # production: refused
    assert _sandboxed(from_settings(ChannelSettings(sandbox="auto"), demo_loaded=True)) == ALL
    assert _sandboxed(from_settings(ChannelSettings(sandbox="on"), demo_loaded=False)) == ALL  # explicit
    assert from_settings(ChannelSettings(sandbox="off"), demo_loaded=True) == {}


def test_a_real_gateway_wins_over_the_sandbox():
    found = from_settings(ChannelSettings(sandbox="auto", sms_url="http://127.0.0.1:9/sms"), demo_loaded=True)
    assert isinstance(found["sms"], SmsGateway)
    assert _sandboxed(found) == ALL - {"sms"}


def test_start_up_reads_the_demo_data_set(database, monkeypatch):
    from yingji.app import demo_dataset

    monkeypatch.setenv("YINGJI_CHANNEL_SANDBOX", "auto")
    try:
        assert demo_dataset(database) is not None  # the suite's database holds the demo district
        assert _sandboxed(channels_service.configured()) == ALL
        channels_service.note_demo_loaded(False)
        assert channels_service.configured() == {}
    finally:
        channels_service.note_demo_loaded(False)


@pytest.fixture
def sandbox_dir(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setattr(sandbox, "sandbox_dir", lambda: tmp_path)
    bootstrap(channels=sandbox.channels())
    yield tmp_path
    bootstrap(channels={})


def test_demo_warning_is_delivered_end_to_end(api, page_client, db, database, fixed_clock, sandbox_dir):
    w = published(api, area=SPEAKER_CIRCLE)
    delivery.run(database, warning_id=w["id"])
    cov = api("duty").get(f"/api/v1/warnings/{w['id']}/coverage").json()
    assert cov["percent"] == 100.0 and cov["reached"] == cov["targeted"] > 0
    rows = list(db.scalars(select(Delivery).where(Delivery.warning_id == w["id"])))
    assert all(r.status == "sent" and r.receipt.startswith("sandbox-") for r in rows)
    phone = next(r.address for r in rows if r.channel == "sms")
    duty = page_client("duty")
    html = duty.get("/channels/sandbox", params={"address": phone}).text
    assert phone in html and "柳江区发布暴雨橙色预警" in html
    speaker = next(r for r in rows if r.channel == "loudspeaker")
    wav = duty.get(f"/channels/sandbox/audio/{speaker.receipt}.wav")
    assert wav.status_code == 200 and wav.headers["content-type"] == "audio/wav" and wav.content[:4] == b"RIFF"
    assert duty.get("/channels/sandbox/audio/sandbox-nothing.wav").status_code == 404
    assert "演示通道" in duty.get("/channels").text


def test_sandbox_refuses_a_malformed_phone_with_a_code(sandbox_dir):
    from yingji.channels.base import Message, Recipient

    result = sandbox.SandboxChannel("sms").send(to=Recipient("", "12345"), message=Message("k", "h", "t"))
    assert not result.ok and "isv.MOBILE_NUMBER_ILLEGAL" in result.error


def test_sandbox_page_permissions(page_client, sandbox_dir):
    assert page_client("duty").get("/channels/sandbox").status_code == 200
    assert page_client("chem").get("/channels/sandbox").status_code == 403
