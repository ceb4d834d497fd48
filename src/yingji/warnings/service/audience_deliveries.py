"""The delivery rows of a warning published to a named audience (``audience.publish_to_audience``: e.g.
the threatened people and monitors of the hazard points inside the warning's area): no worker could find
these recipients again from the area, so every row is written at publication, the coverage row is
complete, and the worker only sends."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core.clock import utcnow
from yingji.core.outbox import enqueue
from yingji.warnings.models import WarningMessage
from yingji.warnings.service import recipients, tally
from yingji.warnings.service.delivery_rows import insert_rows

CHUNK = 2000


def create_audience_deliveries(*, db: Session, warning: WarningMessage, targets: list[recipients.Target]) -> None:
    """In the publishing transaction: every row, the figures, and the ``warnings.published`` command."""
    tally.start(db, warning_id=warning.id)
    now = utcnow()
    for i in range(0, len(targets), CHUNK):
        insert_rows(db, warning_id=warning.id, targets=targets[i : i + CHUNK], now=now)
    tally.found(db, warning.id, expected=len(targets))
    tally.expansion_done(db, warning.id)
    enqueue(db, topic="warnings.published", payload={"warning_id": warning.id}, key=str(warning.id))
