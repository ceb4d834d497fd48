"""What waits in people's 待办 (``core.notices``) from the plans capability: a filing for the bureau to
check within its 5 working days (settled when decided), a plan's evaluation falling due, its filing deadline
nearing and a certificate expiring, for the plan's or the trainee's own unit (its enterprise, its township,
the bureau). The last three also go by SMS to the person who answers for them (the plan's responsible
person, the certificate's holder) through the channels' one SMS path (the outbox, with retries), keyed by
the reminder so that each is texted once however often the job or the event runs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from yingji.channels import service as channels_service
from yingji.core import notices
from yingji.core.clock import LOCAL_TZ
from yingji.core.events import subscribe
from yingji.plans.enums import CERTIFICATE_KIND_LABELS
from yingji.plans.events import (
    CertificateExpiring,
    PlanEvaluationDue,
    PlanFilingDecided,
    PlanFilingDue,
    PlanFilingSubmitted,
)
from yingji.plans.models import Plan, Trainee

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


def _text(db: Session, phone: str, *, headline: str, text: str, key: str) -> None:
    if phone:
        channels_service.enqueue_sms(db, phone=phone, headline=headline, text=text, key=key)


def _plan_phone(db: Session, plan_id: int) -> str:
    plan = db.get(Plan, plan_id)
    return plan.responsible_phone if plan is not None else ""


@subscribe(PlanEvaluationDue)
def evaluation_due(db: Session, event: PlanEvaluationDue) -> None:
    state = "已逾期" if event.overdue else "即将到期"
    key = f"plans:evaluation:{event.plan_id}:{event.due_on:%Y%m%d}:{int(event.overdue)}"
    _text(db, _plan_phone(db, event.plan_id), headline="预案评估提醒", key=key,
          text=f"【预案评估提醒】“{event.plan_title}”评估{state}，"
               f"应于 {event.due_on:%Y-%m-%d} 前评估（{event.reason}）。")
    notices.post(
        db, source=SOURCE, kind="evaluation_due", ref_type="plan", ref_id=event.plan_id,
        title=f"预案评估{state}：{event.plan_title}"[:200],
        body=f"应于 {event.due_on:%Y-%m-%d} 前评估（{event.reason}）。",
        link=f"/plans/{event.plan_id}", roles=OWNERS, region_path=event.region_path,
        enterprise_id=event.enterprise_id,
        dedupe_key=f"plans:evaluation:{event.plan_id}:{event.due_on:%Y%m%d}:{int(event.overdue)}",
    )


@subscribe(PlanFilingDue)
def filing_due(db: Session, event: PlanFilingDue) -> None:
    state = "已逾期" if event.overdue else "即将到期"
    key = f"plans:filing-due:{event.plan_id}:{event.due_on:%Y%m%d}:{int(event.overdue)}"
    body = f"应于 {event.due_on:%Y-%m-%d}（发布之日起 20 个工作日内）向应急管理部门备案。"
    _text(db, _plan_phone(db, event.plan_id), headline="预案备案提醒", key=key,
          text=f"【预案备案提醒】“{event.plan_title}”备案期限{state}：{body}")
    notices.post(
        db, source=SOURCE, kind="filing_due", ref_type="plan", ref_id=event.plan_id,
        title=f"预案备案期限{state}：{event.plan_title}"[:200], body=body, link=f"/plans/{event.plan_id}#filing",
        roles=OWNERS, region_path=event.region_path, enterprise_id=event.enterprise_id, dedupe_key=key,
    )


@subscribe(CertificateExpiring)
def certificate_expiring(db: Session, event: CertificateExpiring) -> None:
    trainee = db.get(Trainee, event.trainee_id)
    _text(db, trainee.phone if trainee is not None else "", headline="证书到期提醒",
          key=f"plans:certificate:{event.certificate_id}:{event.due_on:%Y%m%d}",
          text=f"【证书到期提醒】{event.trainee_name}的{CERTIFICATE_KIND_LABELS.get(event.kind, event.kind)}"
               f"将于 {event.due_on:%Y-%m-%d} 到期或复审，请及时办理。")
    notices.post(
        db, source=SOURCE, kind="certificate_expiring", ref_type="certificate", ref_id=event.certificate_id,
        title=f"证书将到期：{event.trainee_name}"[:200], body=f"{event.kind}，{event.due_on:%Y-%m-%d} 到期或复审。",
        link="/plans/training", roles=OWNERS, region_path=event.region_path, enterprise_id=event.enterprise_id,
        dedupe_key=f"plans:certificate:{event.certificate_id}:{event.due_on:%Y%m%d}",
    )
