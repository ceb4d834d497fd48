"""What waits in people's 待办 (``core.notices``) from the plans capability: a filing for the bureau to
check within its 5 working days (settled when decided), a plan's evaluation falling due and a certificate
expiring, for the plan's or the trainee's own unit (its enterprise, its township, the bureau)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from yingji.core import notices
from yingji.core.clock import LOCAL_TZ
from yingji.core.events import subscribe
from yingji.plans.events import CertificateExpiring, PlanEvaluationDue, PlanFilingDecided, PlanFilingSubmitted

SOURCE = "plans"
CHECKERS = ("duty_officer",)  # plans.filing.check: the bureau's check of every filing
OWNERS = ("duty_officer", "township_officer", "enterprise_manager")  # those who keep plans and trainees


@subscribe(PlanFilingSubmitted)
def filing_to_check(db: Session, event: PlanFilingSubmitted) -> None:
    last_day = (event.due_at.astimezone(LOCAL_TZ) - timedelta(microseconds=1)).date()  # due_at: the end
    notices.post(
        db, source=SOURCE, kind="filing_check", ref_type="filing", ref_id=event.filing_id,
        title=f"预案备案待审查：{event.plan_title}"[:200],
        body=f"请在 {last_day:%Y-%m-%d}（含）前审查；逾期未答复的视为已经备案。",
        link=f"/plans/{event.plan_id}", roles=CHECKERS, dedupe_key=f"plans:filing:{event.filing_id}",
    )


@subscribe(PlanFilingDecided)
def filing_decided(db: Session, event: PlanFilingDecided) -> None:
    notices.close(db, source=SOURCE, ref_type="filing", ref_id=event.filing_id)


@subscribe(PlanEvaluationDue)
def evaluation_due(db: Session, event: PlanEvaluationDue) -> None:
    state = "已逾期" if event.overdue else "即将到期"
    notices.post(
        db, source=SOURCE, kind="evaluation_due", ref_type="plan", ref_id=event.plan_id,
        title=f"预案评估{state}：{event.plan_title}"[:200],
        body=f"应于 {event.due_on:%Y-%m-%d} 前评估（{event.reason}）。",
        link=f"/plans/{event.plan_id}", roles=OWNERS, region_path=event.region_path,
        enterprise_id=event.enterprise_id,
        dedupe_key=f"plans:evaluation:{event.plan_id}:{event.due_on:%Y%m%d}:{int(event.overdue)}",
    )


@subscribe(CertificateExpiring)
def certificate_expiring(db: Session, event: CertificateExpiring) -> None:
    notices.post(
        db, source=SOURCE, kind="certificate_expiring", ref_type="certificate", ref_id=event.certificate_id,
        title=f"证书将到期：{event.trainee_name}"[:200], body=f"{event.kind}，{event.due_on:%Y-%m-%d} 到期或复审。",
        link="/plans/training", roles=OWNERS, region_path=event.region_path, enterprise_id=event.enterprise_id,
        dedupe_key=f"plans:certificate:{event.certificate_id}:{event.due_on:%Y%m%d}",
    )
