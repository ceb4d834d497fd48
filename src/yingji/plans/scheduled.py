"""Periodic work of the plans capability: writing down filings that counted as filed, and the reminders
(events the 待办 inbox and SMS subscribe to)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core.actor import SYSTEM
from yingji.core.jobs import scheduled
from yingji.plans.service import filings, revision, training


@scheduled("plans.deemed_filed", every_s=900)
def deemed_filed(db: Session) -> str:
    """Filings unanswered past their 5 working days: status 视为已经备案, a number, the event."""
    return f"deemed filed {filings.deem_overdue(db=db)}"


@scheduled("plans.reminders", every_s=6 * 3600)
def reminders(db: Session) -> str:
    """Evaluations due or overdue, filing deadlines, certificates expiring: one event each per due date."""
    n = revision.remind_evaluations(db=db, actor=SYSTEM)
    f = filings.remind_filing_deadlines(db=db, actor=SYSTEM)
    m = training.remind_certificates(db=db, actor=SYSTEM)
    return f"evaluations {n}, filing deadlines {f}, certificates {m}"
