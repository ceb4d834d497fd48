from sqlalchemy.orm import Session

from yingji.core.db import Database
from yingji.core.jobs import scheduled
from yingji.risk.service import escalation, reports

STEP = 100


@scheduled("risk.escalate_overdue_hazards", every_s=3600, transaction=False)
def escalate_overdue_hazards(database: Database) -> str:
    """Escalates hidden hazards past their rectification deadline (responsible person, then supervisor)."""
    # In steps of STEP hazards, each committed: the job never holds the write lock for long.
    responsible = supervisor = after = 0
    while True:
        with database.transaction() as db:
            counts = escalation.escalate_overdue(db=db, after_id=after, limit=STEP)
        responsible, supervisor, after = (
            responsible + counts["responsible"],
            supervisor + counts["supervisor"],
            counts["last_id"],
        )
        if not after:
            break
    return f"notified {responsible} responsible, {supervisor} supervisors"


@scheduled("risk.purge_captchas", every_s=3600)
def purge_captchas(db: Session) -> str:
    """Deletes expired captchas of the public report form."""
    return f"removed {reports.purge_captchas(db=db)}"
