"""Public hazard reports (举报): an anonymous form with an offline captcha and a rate limit per client
address; each report is a lead that staff accept (it becomes a hidden hazard) or reject. The reporter
follows it with a tracking code.

The captcha is an arithmetic question drawn as an SVG on the server; only the answer's hash is kept,
each captcha answers once and expires after ``CAPTCHA_TTL_S``. The client address is kept as a keyed
hash, never in clear.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from datetime import timedelta
from html import escape

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from yingji.core import files
from yingji.core.actor import Actor, load_in_scope, region_in_scope, require, scope_condition
from yingji.core.clock import utcnow
from yingji.core.errors import ErrorDetail, NotFound, TooManyRequests, ValidationFailed, invalid
from yingji.core.pagination import PageParams, paginate
from yingji.geo import service as geo_service
from yingji.risk.enums import HazardSource, ReportStatus
from yingji.risk.models import Hazard, PublicReport, ReportCaptcha, ReportThrottle
from yingji.risk.schemas import HazardCreate, ReportDecision
from yingji.risk.service import hazards as hazard_service

CAPTCHA_TTL_S = 600
REPORTS_PER_WINDOW = 5
WINDOW_S = 3600
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
_rng = random.SystemRandom()


def _digest(*parts: str) -> str:
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


# --- captcha -------------------------------------------------------------------------------------


def _svg(text: str) -> str:
    width, height = 150, 48
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        ' role="img" aria-label="验证码图片"><rect width="100%" height="100%" fill="#f4f6f8"/>'
    ]
    for _ in range(6):
        x1, y1, x2, y2 = (
            _rng.randint(0, width),
            _rng.randint(0, height),
            _rng.randint(0, width),
            _rng.randint(0, height),
        )
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#90a4ae" stroke-width="1"/>')
    x = 10
    for ch in text:
        angle, dy = _rng.randint(-18, 18), _rng.randint(-4, 4)
        parts.append(
            f'<text x="{x}" y="{32 + dy}" font-size="24" font-family="monospace" fill="#263238" '
            f'transform="rotate({angle} {x + 6} {28 + dy})">{escape(ch)}</text>'
        )
        x += 17 if ch != " " else 8
    parts.append("</svg>")
    return "".join(parts)


def new_captcha(*, db: Session) -> tuple[str, str]:
    """(token, SVG image) of a new question; the token goes in the form, the answer stays here hashed."""
    a, b = _rng.randint(2, 19), _rng.randint(1, 9)
    op = _rng.choice("+-×")
    answer = a + b if op == "+" else a - b if op == "-" else a * b
    token = secrets.token_urlsafe(18)
    now = utcnow()
    db.add(
        ReportCaptcha(
            token=token,
            answer_hash=_digest(token, str(answer)),
            expires_at=now + timedelta(seconds=CAPTCHA_TTL_S),
            used=False,
        )
    )
    db.flush()
    return token, _svg(f"{a} {op} {b} = ?")


def check_captcha(*, db: Session, token: str, answer: str) -> None:
    row = db.get(ReportCaptcha, token or "")
    if row is None or row.used or row.expires_at < utcnow():
        raise invalid("captcha", "验证码已失效，请看新的验证码重新计算")
    row.used = True  # one try per question
    db.flush()
    if _digest(token, (answer or "").strip()) != row.answer_hash:
        raise invalid("captcha", "验证码答案不正确")


def throttle(*, db: Session, client: str, secret: str) -> None:
    """Counts one attempt for this client address; refuses beyond ``REPORTS_PER_WINDOW`` per window."""
    key = _digest(secret, client or "unknown")
    now = utcnow()
    row = db.get(ReportThrottle, key)
    if row is None:
        row = ReportThrottle(client_hash=key, window_start=now, count=0)
        db.add(row)
    elif now - row.window_start >= timedelta(seconds=WINDOW_S):
        row.window_start, row.count = now, 0
    if row.count >= REPORTS_PER_WINDOW:
        wait = int((row.window_start + timedelta(seconds=WINDOW_S) - now).total_seconds()) + 1
        exc = TooManyRequests(f"提交过于频繁，请 {wait // 60 + 1} 分钟后再试")
        exc.retry_after_s = wait
        raise exc
    row.count += 1
    db.flush()


def purge_captchas(*, db: Session) -> int:
    """Deletes expired captchas and rate-limit windows that have ended; returns how many rows."""
    now = utcnow()
    rows = list(db.scalars(select(ReportCaptcha).where(ReportCaptcha.expires_at < now)))
    rows += list(
        db.scalars(select(ReportThrottle).where(ReportThrottle.window_start < now - timedelta(seconds=WINDOW_S)))
    )
    for r in rows:
        db.delete(r)
    db.flush()
    return len(rows)


# --- reports -------------------------------------------------------------------------------------


def submit_report(
    *,
    db: Session,
    lon: float | None,
    lat: float | None,
    place: str,
    description: str,
    contact: str = "",
    photo: bytes | None = None,
    photo_name: str = "",
    region_code: str | None = None,
) -> PublicReport:
    """Call after ``throttle`` and ``check_captcha``. Checks every field before writing anything."""
    errors: list[ErrorDetail] = []
    description, place = (description or "").strip(), (place or "").strip()
    if len(description) < 5:
        errors.append(ErrorDetail("description", "请描述隐患情况（至少 5 个字）"))
    if len(description) > 2000:
        errors.append(ErrorDetail("description", "描述不超过 2000 字"))
    if len(place) > 200 or len((contact or "").strip()) > 50:
        errors.append(ErrorDetail("place", "位置说明不超过 200 字，联系方式不超过 50 字"))
    region = None
    if (lon is None or lat is None) and region_code:
        try:
            chosen = geo_service.region_info(db=db, code=region_code)
        except NotFound:
            chosen = None
        if chosen is None or chosen.level not in ("township", "village") or chosen.centroid is None:
            errors.append(ErrorDetail("region_code", "请选择本区的村（社区）"))
        else:
            lon, lat = chosen.centroid
    if any(e.field == "region_code" for e in errors):
        pass
    elif lon is None or lat is None:
        errors.append(ErrorDetail("location", "请选择所在村（社区），或使用手机定位"))
    else:
        try:
            region = geo_service.region_of(db=db, lon=lon, lat=lat, levels=geo_service.TOWNSHIP_OR_VILLAGE,
                                           outside_field="location", outside_message="该位置不在本区范围内")
        except ValidationFailed as exc:
            errors += exc.details
    if errors:
        raise ValidationFailed("举报内容有误：" + "；".join(e.message for e in errors), details=errors)
    attachment_id = None
    if photo:
        attachment_id = files.store(db, data=photo, filename=photo_name, field="photo").id
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    report = PublicReport(
        tracking_code=code,
        region_path=region.path,
        lon=lon,
        lat=lat,
        place=place,
        description=description,
        contact=(contact or "").strip(),
        attachment_id=attachment_id,
        status=ReportStatus.pending.value,
        created_at=utcnow(),
    )
    db.add(report)
    db.flush()
    return report


def track(*, db: Session, code: str) -> tuple[PublicReport, str | None]:
    """The report and, when it became a hazard, that hazard's status: what the reporter may see."""
    report = db.scalar(select(PublicReport).where(PublicReport.tracking_code == (code or "").strip().upper()))
    if report is None:
        raise NotFound("没有这个查询码的举报，请核对后再试")
    status = None
    if report.hazard_id:
        hazard = db.get(Hazard, report.hazard_id)
        status = hazard.status if hazard else None
    return report, status


def list_reports(
    *, db: Session, actor: Actor, page: PageParams, status: str | None = None
) -> tuple[list[PublicReport], int]:
    require(actor, "risk.reports.manage")
    q = select(PublicReport).where(scope_condition(actor, PublicReport.region_path))
    if status:
        q = q.where(PublicReport.status == status)
    return paginate(db, q.order_by(PublicReport.id.desc()), page)


def get_report(*, db: Session, actor: Actor, report_id: int) -> PublicReport:
    # Public reports concern places: an enterprise's account sees none.
    return load_in_scope(db, actor, PublicReport, report_id, what="举报线索", permission="risk.reports.manage",
                         visible=lambda a, r: a.enterprise_id is None and region_in_scope(a, r.region_path))


def decide(*, db: Session, actor: Actor, report_id: int, data: ReportDecision) -> PublicReport:
    report = get_report(db=db, actor=actor, report_id=report_id)
    if report.status != ReportStatus.pending:
        raise invalid("accept", "该线索已处理，不能重复处理")
    now = utcnow()
    if data.accept:
        if not data.title.strip():
            raise invalid("title", "受理须填写隐患名称")
        if data.deadline is None:
            raise invalid("deadline", "受理须规定整改期限")
        hazard = hazard_service.create_hazard(
            db=db,
            actor=actor,
            data=HazardCreate(
                enterprise_id=data.enterprise_id,
                region_code=report.region_path.split("/")[-1] if data.enterprise_id is None else None,
                place=report.place or "群众举报位置",
                lon=report.lon,
                lat=report.lat,
                title=data.title,
                description=report.description,
                grade=data.grade,
            ),
            report_id=report.id,
            source=HazardSource.public_report,
            carried_attachment_ids=[report.attachment_id] if report.attachment_id else [],
        )
        hazard_service.transition(
            db=db,
            actor=actor,
            hazard_id=hazard.id,
            action="confirm",
            note=data.note or "举报属实，予以受理",
            deadline=data.deadline,
        )
        report.hazard_id, report.status = hazard.id, ReportStatus.accepted.value
    else:
        if not data.note.strip():
            raise invalid("note", "不予受理须说明理由（举报人可见）")
        report.status = ReportStatus.rejected.value
    report.decision_note, report.decided_by, report.decided_at = data.note.strip(), actor.id, now
    db.flush()
    return report


def pending_in_scope(
    *, db: Session, actor: Actor, region_path: str | None = None, limit: int = 20
) -> list[PublicReport]:
    """Public reports still waiting to be checked in the actor's area, for the 灾害信息员 who is asked to
    look at the spot. Read with risk.read; the reporter's contact is not part of what callers show."""
    require(actor, "risk.read")
    if actor.enterprise_id is not None:
        return []
    q = (
        select(PublicReport)
        .where(scope_condition(actor, PublicReport.region_path), PublicReport.status == ReportStatus.pending)
        .where(PublicReport.region_path.startswith(region_path, autoescape=True) if region_path else true())
        .order_by(PublicReport.id.desc())
        .limit(limit)
    )
    return list(db.scalars(q))
