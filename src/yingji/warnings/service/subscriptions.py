"""Residents subscribe a phone number to villages (or a location) and warning types; an SMS code confirms
it; one step (the link in the confirmation SMS) unsubscribes. Public use cases: no logged-in actor."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.channels import service as channels_service
from yingji.core.clock import utcnow
from yingji.core.errors import ErrorDetail, NotFound, TooManyRequests, ValidationFailed, invalid
from yingji.core.security import hash_password, verify_password
from yingji.geo import service as geo_service
from yingji.warnings.enums import SubscriberStatus
from yingji.warnings.models import Subscriber
from yingji.warnings.schemas import SubscribeRequest
from yingji.warnings.service import lone_phones
from yingji.warnings.settings import sender_name, settings
from yingji.warnings.standards import event_types

PHONE = re.compile(r"^1[3-9]\d{9}$")
CODE_TTL = timedelta(minutes=10)
RESEND_AFTER = timedelta(seconds=60)
MAX_CODE_ATTEMPTS = 5


def types_column(types: list[str]) -> str:
    """The stored form of the warning types asked for: ",a,b," (SQL can match ",a,"), "" for every type."""
    return f",{','.join(sorted(set(types)))}," if types else ""


def _phone(value: str) -> str:
    phone = re.sub(r"[\s-]", "", value or "").removeprefix("+86")
    if not PHONE.match(phone):
        raise invalid("phone", "手机号须为 11 位中国大陆手机号码")
    return phone


def subscribe(*, db: Session, data: SubscribeRequest) -> list[Subscriber]:
    """Creates (or renews) the pending subscription rows of one sign-up and sends a code by SMS."""
    phone = _phone(data.phone)
    errors = []
    villages = {v.code: v for v in geo_service.region_infos(db=db, level="village")}
    for code in data.village_codes:
        if code not in villages:
            errors.append(ErrorDetail("village_codes", f"村（社区）{code} 不存在"))
    for et in data.event_types:
        if et not in event_types():
            errors.append(ErrorDetail("event_types", f"未知预警类型 {et}"))
    located = None
    if (data.lon is None) != (data.lat is None):
        errors.append(ErrorDetail("lon", "经度和纬度须同时提供"))
    elif data.lon is not None:
        found = geo_service.locate(db=db, lon=data.lon, lat=data.lat, level="village")
        if not found:
            errors.append(ErrorDetail("lon", "该位置不在本区范围内"))
        else:
            located = found[0].code
    if not data.village_codes and data.lon is None:
        errors.append(ErrorDetail("village_codes", "请至少选择一个村（社区）或提供位置"))
    if errors:
        raise ValidationFailed("订阅信息有误：" + "；".join(e.message for e in errors), details=errors)
    now = utcnow()
    lone_phones.lock(db, phone)
    existing = list(db.scalars(select(Subscriber).where(Subscriber.phone == phone)))
    recent = [s for s in existing if s.code_expires and s.code_expires - CODE_TTL + RESEND_AFTER > now]
    if recent:
        raise TooManyRequests("验证码已发送，请 60 秒后再试")
    code = f"{secrets.randbelow(10**6):06d}"
    token = next((s.unsubscribe_token for s in existing), None) or secrets.token_urlsafe(24)
    wanted: list[tuple[str | None, float | None, float | None]] = [(c, None, None) for c in data.village_codes]
    if located:
        wanted.append((located, data.lon, data.lat))
    rows = []
    by_village = {s.village_code: s for s in existing}
    for village, lon, lat in wanted:
        s = by_village.get(village)
        if s is None:
            s = Subscriber(
                phone=phone,
                village_code=village,
                status=SubscriberStatus.pending,
                created_at=now,
                unsubscribe_token=token,
                code_attempts=0,
            )
            db.add(s)
        elif s.status == SubscriberStatus.unsubscribed:
            s.status = SubscriberStatus.pending
        s.lon, s.lat, s.event_types = lon, lat, types_column(data.event_types)
        rows.append(s)
    code_hash = hash_password(code)
    for s in existing + [r for r in rows if r not in existing]:
        s.code_hash, s.code_expires, s.code_attempts = code_hash, now + CODE_TTL, 0
    db.flush()
    lone_phones.settle(db, phone)
    channels_service.enqueue_sms(
        db, phone=phone, headline="预警订阅验证码", text=code_text(code, token, sender_name(db)),
        key=f"subcode:{token}:{code}", max_attempts=3, sensitive=True,
    )
    return rows


def code_text(code: str, token: str, sender: str = "") -> str:
    s = settings()
    return (f"【{sender or s.sender_name or '应急管理局'}】您的预警订阅验证码为 {code}，10 分钟内有效。"
            f"退订：{s.public_base_url}/public/unsubscribe/{token}")


@dataclass
class Confirmation:
    """A wrong code is not an exception: its counted attempt must be saved (the request commits it)."""

    rows: list[Subscriber]
    error: ValidationFailed | None = None


def confirm(*, db: Session, phone: str, code: str) -> Confirmation:
    phone = _phone(phone)
    rows = [s for s in db.scalars(select(Subscriber).where(Subscriber.phone == phone)) if s.code_hash]
    if not rows:
        raise NotFound("没有待确认的订阅，请先提交订阅")
    now = utcnow()
    first = rows[0]
    if first.code_expires is None or first.code_expires < now:
        raise invalid("code", "验证码已过期，请重新获取")
    if first.code_attempts >= MAX_CODE_ATTEMPTS:
        raise invalid("code", "验证码错误次数过多，请重新获取")
    if not verify_password(first.code_hash, (code or "").strip()):
        for s in rows:
            s.code_attempts += 1
        db.flush()
        return Confirmation(
            [], invalid("code", f"验证码不正确（还可尝试 {MAX_CODE_ATTEMPTS - first.code_attempts} 次）")
        )
    for s in rows:
        if s.status == SubscriberStatus.pending:
            s.status, s.confirmed_at = SubscriberStatus.active, now
        s.code_hash, s.code_expires, s.code_attempts = None, None, 0
    db.flush()
    return Confirmation(rows)


def unsubscribe(*, db: Session, token: str) -> int:
    """One step: every subscription of the sign-up that sent this link ends. Returns how many."""
    rows = list(db.scalars(select(Subscriber).where(Subscriber.unsubscribe_token == token))) if token else []
    if not rows:
        raise NotFound("退订链接无效")
    for s in rows:
        s.status = SubscriberStatus.unsubscribed
    db.flush()
    return len(rows)
