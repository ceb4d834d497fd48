from __future__ import annotations

from yingji import bootstrap
from yingji.channels.fake import FakeChannel


def test_page_shows_which_channels_are_configured(page_client) -> None:
    bootstrap.bootstrap(channels={"sms": FakeChannel("sms")})
    try:
        html = page_client("duty").get("/channels").text
    finally:
        bootstrap.bootstrap(channels={})
    assert 'data-channel="sms"' in html and "演示用假渠道" in html
    assert html.count("未配置") >= 3  # e-mail, webhook and loudspeaker have no settings here
    assert "本功能尚未建设" not in html


def test_only_the_bureau_sees_the_channel_settings(page_client) -> None:
    for username in ("labao", "officer", "chem", "liaison"):
        assert page_client(username).get("/channels").status_code == 403, username
