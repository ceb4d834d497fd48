"""Before a warning goes out: which channel will carry it to each recipient, and who has no working
channel at all. Shown on the sign-off and publish pages; publishing while some recipients cannot be
reached needs an explicit confirmation that names the channels (a warning never fails silently)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from yingji.channels import service as channels_service
from yingji.core.errors import Conflict, ErrorDetail
from yingji.warnings.models import WarningMessage
from yingji.warnings.service import recipients
from yingji.warnings.service.area import parse_area
from yingji.warnings.service.recipients import Target


def plan(*, targets: list[Target], channels: dict[str, Any] | None = None) -> dict[str, Any]:
    """Per channel: how many recipients it will carry (their first configured channel, the recipient's
    own channel or a fallback), whether it is a real gateway or the demo sandbox; and, per channel a
    recipient asked for, how many recipients have no configured channel at all."""
    chans = channels_service.configured(channels)
    carried: Counter[str] = Counter()
    unreachable: Counter[str] = Counter()
    for t in targets:
        carrier = next((ch for ch in (t.channel, *(t.fallbacks or {})) if ch in chans), None)
        if carrier is None:
            unreachable[str(t.channel)] += 1
        else:
            carried[carrier] += 1
    rows = []
    for name, label in channels_service.LABELS.items():
        wanted = sum(1 for t in targets if t.channel == name)
        if not wanted and not carried[name]:
            continue
        rows.append(
            {
                "channel": name,
                "label": label,
                "configured": name in chans,
                "sandbox": channels_service.is_sandbox(chans.get(name)),
                "recipients": carried[name],
                "first_choice": wanted,
            }
        )
    return {
        "total": len(targets),
        "channels": rows,
        "unreachable": dict(unreachable),
        "unreachable_total": sum(unreachable.values()),
    }


def before_publication(
    *, db: Session, warning: WarningMessage, channels: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The plan as far as publication needs it: who has no working channel. Subscribers are reached by
    SMS only, so while SMS is configured none of them can lack a channel and they are not searched here
    (the tens of thousands of a district-wide warning took seconds of the publishing request); the worker
    finds them once, when it writes the delivery rows. Without SMS they are searched, to be counted."""
    chans = channels_service.configured(channels)
    area = parse_area(db=db, area=warning.area)
    targets = recipients.resolve(
        db=db, area=area, event_type=warning.event_type,
        subscribers=recipients.SUBSCRIBER_CHANNEL not in chans,
    )
    return plan(targets=targets, channels=chans)


class UnreachedRecipients(Conflict):
    code = "unreached_recipients"


def unreached_details(p: dict[str, Any]) -> list[ErrorDetail]:
    return [
        ErrorDetail(
            "confirm_unreached",
            f"{channels_service.LABELS.get(ch, ch)}渠道未配置，且无其他可用渠道：{n} 个接收对象收不到",
        )
        for ch, n in sorted(p["unreachable"].items())
    ]


def require_confirmation(p: dict[str, Any], *, confirmed: bool) -> None:
    """Refuses (409) to publish while some recipients have no working channel, unless confirmed."""
    if p["unreachable_total"] and not confirmed:
        names = "、".join(channels_service.LABELS.get(ch, ch) for ch in sorted(p["unreachable"]))
        raise UnreachedRecipients(
            f"{p['unreachable_total']} 个接收对象没有可用渠道（{names}未配置）；"
            "确认仍要发布请勾选“确认部分对象收不到”（API：confirm_unreached=true）",
            details=unreached_details(p),
        )
