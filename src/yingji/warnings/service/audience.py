"""A signed warning published to an audience another capability names (the households and monitors of
the hazard points inside its area, found by ``natural``) instead of everyone its area resolves to: the
same publication, receipts and coverage, exactly those recipients (one SMS per phone)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from yingji.core.actor import Actor
from yingji.core.errors import invalid
from yingji.warnings.enums import RecipientKind
from yingji.warnings.models import WarningMessage
from yingji.warnings.service.recipients import Target

KINDS = {RecipientKind.threatened.value, RecipientKind.monitor.value, RecipientKind.info_officer.value,
         RecipientKind.cadre.value}


@dataclass(frozen=True)
class AudienceMember:
    ref: str  # the naming capability's reference, e.g. "natural.household:12"
    name: str
    phone: str
    village_code: str | None
    kind: str = RecipientKind.threatened.value  # threatened / monitor / info_officer / cadre


def _targets(audience: list[AudienceMember]) -> list[Target]:
    seen: set[str] = set()
    out = []
    for i, m in enumerate(audience):
        if m.kind not in KINDS:
            raise invalid(f"audience[{i}].kind", f"接收对象类型无效：{m.kind}")
        phone = (m.phone or "").strip()
        if not phone or phone in seen:
            continue  # nobody to text, or already texted under another role
        seen.add(phone)
        out.append(Target(m.kind, m.ref[:40], m.name[:100], m.village_code, "sms", phone))
    return out


def publish_to_audience(*, db: Session, actor: Actor, warning_id: int, audience: list[AudienceMember],
                        confirm_unreached: bool = False) -> WarningMessage:
    """Publishes the approved warning ``warning_id`` to exactly ``audience`` (see ``authoring.publish``)."""
    from yingji.warnings.service.authoring import publish

    targets = _targets(audience)
    if not targets:
        raise invalid("audience", "没有可发送的接收对象（无手机号）")
    return publish(db=db, actor=actor, warning_id=warning_id, confirm_unreached=confirm_unreached, audience=targets)
