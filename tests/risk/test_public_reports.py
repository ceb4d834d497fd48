"""Anonymous hazard reports: offline captcha, CSRF, rate limit by address, a tracking code, and the lead
that staff accept (→ hazard) or reject."""

from __future__ import annotations

import re
import struct
import zlib
from datetime import timedelta

from sqlalchemy import func, select

from yingji.core.clock import utcnow
from yingji.risk.models import PublicReport, ReportCaptcha

from .helpers import user


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"\x00\xff\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def solve(svg: str) -> str:
    text = "".join(re.findall(r">([^<])</text>", svg)).replace(" ", "")
    a, op, b = re.match(r"(\d+)([+\-×])(\d+)=\?", text).groups()
    return str(int(a) + int(b) if op == "+" else int(a) - int(b) if op == "-" else int(a) * int(b))


def form(client) -> dict:
    html = client.get("/risk/public/report").text
    return {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1),
        "captcha_token": re.search(r'name="captcha_token" value="([^"]+)"', html).group(1),
        "captcha_answer": solve(html[html.index("<svg") : html.index("</svg>")]),
    }


def village_code(db) -> str:
    return user(db, "officer").scope_path.split("/")[-1]


def test_report_with_captcha_photo_and_tracking(client, db, api) -> None:
    f = form(client)
    r = client.post(
        "/risk/public/report",
        data={**f, "description": "路边仓库违规存放大量液化气钢瓶", "region_code": village_code(db), "place": "村口"},
        files={"photo": ("p.png", png(), "image/png")},
    )
    assert r.status_code == 200, r.text
    code = re.search(r'id="tracking-code"[^>]*>([A-Z0-9]+)<', r.text).group(1)
    report = db.scalar(select(PublicReport).where(PublicReport.tracking_code == code))
    assert report.status == "pending" and report.attachment_id and report.region_path.endswith(village_code(db))
    track = client.get(f"/risk/public/track?code={code.lower()}")
    assert "待核实" in track.text

    staff = api("duty")
    assert staff.get(f"/api/v1/risk/reports/{report.id}/photo").headers["content-type"] == "image/png"
    r = staff.post(
        f"/api/v1/risk/reports/{report.id}/decision",
        json={"accept": True, "title": "违规存放液化气钢瓶", "deadline": (utcnow() + timedelta(days=5)).isoformat()},
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    hazard = staff.get(f"/api/v1/risk/hazards/{r.json()['hazard_id']}").json()
    assert hazard["source"] == "public_report" and hazard["status"] == "confirmed"
    track = client.get(f"/risk/public/track?code={code}")
    assert "已受理" in track.text and "已确认" in track.text
    again = staff.post(f"/api/v1/risk/reports/{report.id}/decision", json={"accept": False, "note": "重复"})
    assert again.status_code == 422


def test_wrong_captcha_changes_nothing_and_captcha_is_single_use(client, db) -> None:
    n = db.scalar(select(func.count(PublicReport.id)))
    f = form(client)
    good = f["captcha_answer"]
    r = client.post(
        "/risk/public/report",
        data={
            **f,
            "captcha_answer": str(int(good) + 1),
            "description": "消防通道堵塞严重",
            "region_code": village_code(db),
        },
    )
    assert r.status_code == 422 and "验证码" in r.text
    r = client.post(
        "/risk/public/report", data={**f, "description": "消防通道堵塞严重", "region_code": village_code(db)}
    )
    assert r.status_code == 422 and "失效" in r.text  # the question answered once already
    assert db.scalar(select(func.count(PublicReport.id))) == n
    token = f["captcha_token"]
    row = db.get(ReportCaptcha, token)
    assert row.answer_hash != good and len(row.answer_hash) == 64  # only a hash is kept


def test_bad_input_is_refused_naming_the_field(client, db) -> None:
    f = form(client)
    r = client.post(
        "/risk/public/report",
        data={**f, "description": "短", "lon": "100.0", "lat": "30.0"},
        files={"photo": ("x.png", b"not an image at all", "image/png")},
    )
    assert r.status_code == 422
    assert "至少 5 个字" in r.text and "不在本区" in r.text
    f = form(client)
    r = client.post(
        "/risk/public/report",
        data={**f, "description": "照片类型不对的举报", "region_code": village_code(db)},
        files={"photo": ("x.txt", b"plain text", "text/plain")},
    )
    assert r.status_code == 422 and "文件类型不允许" in r.text


def test_csrf_is_required(client, db) -> None:
    f = form(client)
    r = client.post(
        "/risk/public/report",
        data={**f, "csrf_token": "forged", "description": "没有令牌的提交", "region_code": village_code(db)},
    )
    assert r.status_code == 403


def test_rate_limit_by_address(client, db) -> None:
    codes = []
    for i in range(6):
        f = form(client)
        r = client.post(
            "/risk/public/report", data={**f, "description": f"第 {i} 次举报的内容", "region_code": village_code(db)}
        )
        codes.append(r.status_code)
    assert codes[:5] == [200] * 5 and codes[5] == 429
    assert "频繁" in r.text and int(r.headers["retry-after"]) > 0


def test_reject_is_visible_to_the_reporter(client, db, api) -> None:
    f = form(client)
    r = client.post(
        "/risk/public/report", data={**f, "description": "河边有人非法加油", "region_code": village_code(db)}
    )
    code = re.search(r'id="tracking-code"[^>]*>([A-Z0-9]+)<', r.text).group(1)
    rid = db.scalar(select(PublicReport.id).where(PublicReport.tracking_code == code))
    staff = api("duty")
    assert staff.post(f"/api/v1/risk/reports/{rid}/decision", json={"accept": False}).status_code == 422
    assert (
        staff.post(f"/api/v1/risk/reports/{rid}/decision", json={"accept": False, "note": "系合法加油站"}).status_code
        == 200
    )
    assert "系合法加油站" in client.get(f"/risk/public/track?code={code}").text
    assert client.get("/risk/public/track?code=NOSUCHCODE").status_code == 404


def test_report_leads_are_scoped(api, client, db) -> None:
    f = form(client)
    r = client.post(
        "/risk/public/report", data={**f, "description": "拉堡镇以外的举报", "region_code": village_code(db)}
    )
    code = re.search(r'id="tracking-code"[^>]*>([A-Z0-9]+)<', r.text).group(1)
    report = db.scalar(select(PublicReport).where(PublicReport.tracking_code == code))
    labao = user(db, "labao").scope_path
    visible = {i["id"] for i in api("labao").get("/api/v1/risk/reports?page_size=500").json()["items"]}
    assert (report.id in visible) == report.region_path.startswith(labao)
    assert api("chem").get("/api/v1/risk/reports").status_code == 403


def test_purge_job_removes_expired_captchas_and_windows(client, db, database, fixed_clock) -> None:
    from datetime import UTC, datetime

    from yingji.core.jobs import run_job
    from yingji.risk.models import ReportThrottle

    t0 = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    fixed_clock(t0)
    f = form(client)
    client.post("/risk/public/report", data={**f, "description": "只为留下一次计数", "region_code": village_code(db)})
    assert db.get(ReportCaptcha, f["captcha_token"]) is not None
    assert db.scalar(select(func.count()).select_from(ReportThrottle)) >= 1
    fixed_clock(t0 + timedelta(hours=2))
    run_job(database, "risk.purge_captchas")
    db.expire_all()
    assert db.get(ReportCaptcha, f["captcha_token"]) is None
    assert db.scalar(select(func.count()).select_from(ReportThrottle)) == 0
