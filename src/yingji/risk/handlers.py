"""Outbox handlers of the risk capability (idempotent: a redelivered message adds nothing)."""

from sqlalchemy.orm import Session

from yingji.core.outbox import OutboxMessage, handler
from yingji.risk.service import escalation


@handler("risk.hazard.notice")
def hazard_notice(db: Session, msg: OutboxMessage) -> None:
    p = msg.payload
    escalation.deliver_notice(db=db, hazard_id=int(p["hazard_id"]), kind=str(p["kind"]), key=str(p["key"]))
