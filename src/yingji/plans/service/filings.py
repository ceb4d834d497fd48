"""Filing (备案, 令2 第二十六条–第二十八条): submit with the 第二十七条 materials; the bureau checks within 5
working days (the legal clock) and accepts or returns with reasons; unanswered in time the plan counts as
filed (视为已经备案). A village plan is filed with its township (突发事件应急预案管理办法 第二十六条).

"Deemed filed" is computed on read: every read compares now with the stored deadline (``due_at``, from
``standards.filing_check``), so a page or an API answer is right even if no job ran. The scheduled job
``plans.deemed_filed`` then writes the status and the certificate number down and publishes
``PlanFilingDecided`` — once, by event id. A decision after the deadline is refused (409)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.core import events, files
from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.deadlines import compute
from yingji.core.errors import Conflict, NotFound, PermissionDenied, invalid
from yingji.core.pagination import PageParams
from yingji.core.workdays import WorkCalendar
from yingji.plans.enums import FILING_CHECKLIST, FILING_MATERIALS, PlanKind
from yingji.plans.events import PlanFilingDecided, PlanFilingDue, PlanFilingSubmitted
from yingji.plans.models import Filing, Plan, PlanVersion
from yingji.plans.schemas import FilingCreate, FilingDecision
from yingji.plans.service.common import (
    calendar,
    district,
    ensure_readable,
    get_plan,
    local_start,
    local_today,
    read_condition,
    working_days_left,
    writable_plan,
)
from yingji.plans.standards import deadline_rules, filing_check, filing_deadline

OPEN = ("submitted",)
REMIND_DAYS = 7  # a filing deadline this many days ahead (or passed) is reminded
REQUIRED = ("application_form", "risk_assessment", "resource_survey", "plan_document")


@dataclass(frozen=True)
class FilingView:
    filing: Filing
    plan: Plan
    status: str
    due_last_day: date | None
    working_days_left: int | None  # None once decided or deemed filed
    provisional: bool


def effective_status(filing: Filing, now: datetime | None = None) -> str:
    if filing.status == "submitted" and (now or utcnow()) >= filing.due_at:
        return "deemed_filed"
    return filing.status


def view(db: Session, filing: Filing, *, cal: WorkCalendar | None = None, now: datetime | None = None) -> FilingView:
    cal = cal or calendar(db)
    now = now or utcnow()
    plan = db.get(Plan, filing.plan_id)
    check = filing_check(submitted_at=filing.submitted_at, calendar=cal, now=now)
    status = effective_status(filing, now)
    left = None
    if status == "submitted" and check.due.last_day is not None:
        left = working_days_left(cal, today=local_today(now), last_day=check.due.last_day,
                                 start_day=local_today(filing.submitted_at))
    return FilingView(filing, plan, status, check.due.last_day, left, check.due.provisional)  # type: ignore[arg-type]


def may_check(actor: Actor, plan: Plan) -> bool:
    """Who checks: the bureau for every plan; a township for the village plans inside it."""
    if actor.can("plans.filing.check"):
        return True
    return plan.kind == PlanKind.village and actor.can("plans.filing.check_village")


def _receiver_ok(actor: Actor, plan: Plan) -> None:
    if not may_check(actor, plan):
        raise PermissionDenied("没有核对备案的权限")


def required_materials(plan: Plan) -> tuple[str, ...]:
    """The 第二十七条 materials this plan's filing must carry (评审意见 where 评审 is mandatory)."""
    return REQUIRED + (("review_opinion",) if plan.review_required else ())


def submit(*, db: Session, actor: Actor, data: FilingCreate, now: datetime | None = None) -> Filing:
    plan = writable_plan(db, actor, data.plan_id, "plans.filing.submit")
    now = now or utcnow()
    for key in required_materials(plan):
        if key not in data.materials:
            raise invalid(f"materials.{key}", f"缺少备案材料：{FILING_MATERIALS[key]}")
    files.ensure_linkable(db, actor, list(data.materials.values()), field="materials")
    if db.scalar(select(Filing.id).where(Filing.plan_id == plan.id, Filing.status.in_(OPEN),
                                         Filing.due_at > now)) is not None:
        raise Conflict("该预案已有待核对的备案申请", details=[])
    version = db.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.current.is_(True)))
    due = compute(deadline_rules()["filing_check"], start=now, calendar=calendar(db))
    filing = Filing(plan_id=plan.id, version_id=version.id if version else None, region_path=plan.region_path,
                    enterprise_id=plan.enterprise_id, materials=dict(data.materials), checklist={}, status="submitted",
                    submitted_at=now, due_at=due.due_at, submitted_by=actor.id,
                    submitter_name=getattr(actor, "display_name", "") or actor.username)
    db.add(filing)
    db.flush()
    events.publish(db, PlanFilingSubmitted(filing.id, plan.id, plan.title, plan.region_path, plan.enterprise_id,
                                           due.due_at), event_id=f"plan-filing-{filing.id}-submitted")
    return filing


def _number(db: Session, at: datetime) -> str:
    """备案编号: district code, year, sequence of the year (450206-2026-0007)."""
    prefix = f"{district(db).code[:6]}-{at.year}-"
    n = db.scalar(select(func.count()).where(Filing.certificate_no.startswith(prefix))) or 0
    return f"{prefix}{n + 1:04d}"


def _settle(db: Session, filing: Filing, plan: Plan, status: str, at: datetime, reasons: str = "") -> None:
    filing.status = status
    filing.decided_at = at
    filing.reasons = reasons
    if status in ("accepted", "deemed_filed"):
        filing.certificate_no = _number(db, at)
        plan.needs_refiling = False
    db.flush()
    events.publish(db, PlanFilingDecided(filing.id, plan.id, plan.region_path, plan.enterprise_id, status,
                                         filing.certificate_no, reasons, at),
                   event_id=f"plan-filing-{filing.id}-decided")


def decide(*, db: Session, actor: Actor, filing_id: int, data: FilingDecision, now: datetime | None = None) -> Filing:
    filing = get_filing(db=db, actor=actor, filing_id=filing_id)
    plan = db.get(Plan, filing.plan_id)
    _receiver_ok(actor, plan)  # type: ignore[arg-type]
    now = now or utcnow()
    unknown = set(data.checklist) - set(FILING_CHECKLIST)
    if unknown:
        raise invalid("checklist", f"未知的核对项：{'、'.join(sorted(unknown))}")
    if data.decision == "returned" and not data.reasons.strip():
        raise invalid("reasons", "退回须说明理由")
    if data.decision == "accepted" and not all(data.checklist.get(k, False) for k in FILING_CHECKLIST):
        raise invalid("checklist", "核对项未全部通过，不能予以备案")
    if filing.status != "submitted":
        raise Conflict("该备案申请已办结", details=[])
    if now >= filing.due_at:  # the job (or the next read) writes the deemed filing down
        raise Conflict("已超过 5 个工作日核对期限，视为已经备案", details=[])
    filing.checklist = dict(data.checklist)
    filing.decided_by = actor.id
    _settle(db, filing, plan, data.decision, now, data.reasons.strip())  # type: ignore[arg-type]
    return filing


def deem(*, db: Session, filing: Filing, now: datetime | None = None) -> bool:
    """Writes down a filing that counts as filed: status, number, event. True when it did."""
    now = now or utcnow()
    if effective_status(filing, now) != "deemed_filed" or filing.status != "submitted":
        return False
    _settle(db, filing, db.get(Plan, filing.plan_id), "deemed_filed", filing.due_at)  # type: ignore[arg-type]
    return True


def deem_overdue(*, db: Session, now: datetime | None = None, limit: int = 200) -> int:
    now = now or utcnow()
    rows = list(db.scalars(select(Filing).where(Filing.status == "submitted", Filing.due_at <= now)
                           .order_by(Filing.id).limit(limit)))
    return sum(deem(db=db, filing=f, now=now) for f in rows)


def get_filing(*, db: Session, actor: Actor, filing_id: int) -> Filing:
    require(actor, "plans.read")
    filing = db.get(Filing, filing_id)
    if filing is None:
        raise NotFound("备案申请不存在")
    ensure_readable(actor, region_path=filing.region_path, enterprise_id=filing.enterprise_id, what="备案申请")
    return filing


def list_filings(*, db: Session, actor: Actor, page: PageParams, status: str | None = None,
                 plan_id: int | None = None, now: datetime | None = None) -> tuple[list[FilingView], int]:
    """The queue: open filings first, the nearest deadline first; ``status`` as it stands now."""
    require(actor, "plans.read")
    now = now or utcnow()
    query = select(Filing).where(read_condition(actor, Filing.region_path, Filing.enterprise_id))
    if plan_id is not None:
        query = query.where(Filing.plan_id == plan_id)
    rows = list(db.scalars(query.order_by(Filing.due_at.desc())))
    cal = calendar(db)
    views = [view(db, f, cal=cal, now=now) for f in rows]
    if status:
        views = [v for v in views if v.status == status]
    views.sort(key=lambda v: (v.status != "submitted", v.filing.due_at if v.status == "submitted" else now,
                              -v.filing.id))
    return views[page.offset : page.offset + page.page_size], len(views)


@dataclass(frozen=True)
class FilingState:
    """Where a plan stands with its filing: the 20-working-day deadline after publication and the latest
    filing as it stands now."""

    deadline_last_day: date | None
    deadline_provisional: bool
    overdue: bool  # published, past the 20 working days, and not filed
    filed: bool
    latest: FilingView | None


def filing_state(*, db: Session, actor: Actor, plan_id: int, now: datetime | None = None) -> FilingState:
    plan = get_plan(db, actor, plan_id)
    now = now or utcnow()
    cal = calendar(db)
    latest_row = db.scalar(select(Filing).where(Filing.plan_id == plan.id).order_by(Filing.id.desc()))
    latest = view(db, latest_row, cal=cal, now=now) if latest_row else None
    filed = latest is not None and latest.status in ("accepted", "deemed_filed") and not plan.needs_refiling
    if plan.published_on is None:
        return FilingState(None, False, False, filed, latest)
    due = filing_deadline(published_at=local_start(plan.published_on), calendar=cal)
    submitted_in_time = latest is not None and latest.status != "returned"
    overdue = not filed and not submitted_in_time and now >= due.due_at
    return FilingState(due.last_day, due.provisional, overdue, filed, latest)


def certificate_filing(
    *, db: Session, actor: Actor, filing_id: int, now: datetime | None = None
) -> tuple[Filing, Plan]:
    """A filing whose 备案登记表 may be printed: accepted, or deemed filed (written down first)."""
    filing = get_filing(db=db, actor=actor, filing_id=filing_id)
    deem(db=db, filing=filing, now=now)
    if filing.status not in ("accepted", "deemed_filed"):
        raise NotFound("尚未备案，还没有备案登记表")  # the document does not exist yet (a read, not a conflict)
    return filing, db.get(Plan, filing.plan_id)  # type: ignore[return-value]


def remind_filing_deadlines(*, db: Session, actor: Actor, now: datetime | None = None) -> int:
    """Publishes ``PlanFilingDue`` once per plan, deadline and state (due soon, then overdue) for the
    published plans not filed and with no filing under check, whose 20 working days end within
    ``REMIND_DAYS`` or have passed."""
    require(actor, "plans.read")
    now = now or utcnow()
    today = local_today(now)
    n = 0
    for plan in db.scalars(select(Plan).where(read_condition(actor, Plan.region_path, Plan.enterprise_id),
                                              Plan.status == "in_force", Plan.published_on.is_not(None))
                           .order_by(Plan.id)):
        state = filing_state(db=db, actor=actor, plan_id=plan.id, now=now)
        if state.filed or state.deadline_last_day is None:
            continue
        if state.latest is not None and state.latest.status == "submitted":
            continue  # under check: the bureau's clock runs, not the owner's
        overdue = state.overdue or today > state.deadline_last_day
        if not overdue and (state.deadline_last_day - today).days > REMIND_DAYS:
            continue
        key = "overdue" if overdue else "soon"
        events.publish(db, PlanFilingDue(plan.id, plan.title, plan.region_path, plan.enterprise_id,
                                         state.deadline_last_day, overdue),
                       event_id=f"plan-filing-due-{plan.id}-{state.deadline_last_day:%Y%m%d}-{key}")
        n += 1
    return n
