from sqlalchemy.orm import Session

from yingji.core.jobs import scheduled
from yingji.risk.service import escalation, reports


@scheduled("risk.escalate_overdue_hazards", every_s=3600)
def escalate_overdue_hazards(db: Session) -> str:
    """Escalates hidden hazards past their rectification deadline (responsible person, then supervisor)."""
    counts = escalation.escalate_overdue(db=db)
    return f"notified {counts['responsible']} responsible, {counts['supervisor']} supervisors"


@scheduled("risk.purge_captchas", every_s=3600)
def purge_captchas(db: Session) -> str:
    """Deletes expired captchas of the public report form."""
    return f"removed {reports.purge_captchas(db=db)}"
