"""A submitted warning waits in the 待办 of those who may sign it (``core.notices``): duty officers and
bureau leaders whose area covers the warning, but not its author, who has done their part and may not
sign it anyway. Signing or sending it back settles the notice for everyone."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core import notices
from yingji.warnings.enums import LEVEL_LABELS, MSG_TYPE_LABELS, MsgType, Status
from yingji.warnings.models import WarningMessage

SOURCE, KIND = "warnings", "sign"
SIGNERS = ("duty_officer", "leader")  # the roles holding warnings.approve


def warning_submitted(db: Session, *, warning_id: int) -> notices.Notice | None:
    """The ``WarningSubmitted`` subscriber's work; one notice per submission (sent back and submitted again:
    a new one). A warning signed or sent back before the subscriber ran gets none."""
    w = db.get(WarningMessage, warning_id)
    if w is None or w.status != Status.submitted or w.submitted_at is None:
        return None
    what = MSG_TYPE_LABELS.get(MsgType(w.msg_type), w.msg_type)
    notice, _ = notices.post(
        db,
        source=SOURCE,
        kind=KIND,
        ref_type="warning",
        ref_id=w.id,
        title=f"{LEVEL_LABELS.get(w.level, w.level)}预警待签发（{what}）",
        body=w.headline,
        link=f"/warnings/{w.id}",
        roles=SIGNERS,
        region_path=w.region_path,
        dedupe_key=f"warnings:warning:{w.id}:sign:{w.submitted_at:%Y%m%d%H%M%S%f}",
        done_for=[w.author_id] if w.author_id is not None else [],
        at=w.submitted_at,
    )
    return notice


def settle(db: Session, w: WarningMessage) -> None:
    notices.close(db, source=SOURCE, ref_type="warning", ref_id=w.id, kinds=[KIND])
