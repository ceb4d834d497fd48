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


def test_a_confirmation_code_sms_is_listed_without_its_text(page_client, db) -> None:
    from yingji.channels import service

    service.enqueue_sms(db, phone="13700002222", headline="预警订阅验证码", text="验证码为 482913", key="t-code",
                        sensitive=True)
    service.enqueue_sms(db, phone="13700003333", headline="通知", text="明早八点集合", key="t-plain")
    db.commit()
    html = page_client("duty").get("/channels").text
    assert "482913" not in html and "含验证码或签收链接的短信，内容不显示" in html
    assert "明早八点集合" in html
