"""Penalty cases (行政处罚案件): the step machine of ``case_procedure`` over stored cases, the legal-clock
deadlines, the discretion band of the amount, publication of decisions, and a check that each case still
matches what the audit log recorded of it.

Every change (the case row and one ``CaseStep`` per step) is written by the session's audit hook into the
hash-chained log, in the same transaction: the 执法全过程记录. ``verify_cases`` replays the log per case and
names any case whose stored row differs from it (an edit made past the application); ``yingji audit
verify`` names an edit of the log itself. Between them an edited case is always caught."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.core.actor import SYSTEM, Actor, require, scope_condition
from yingji.core.audit import AuditEntry
from yingji.core.clock import utcnow
from yingji.core.deadlines import Deadline, compute
from yingji.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed, invalid
from yingji.core.events import publish
from yingji.core.pagination import PageParams, paginate
from yingji.enforcement import case_procedure as rules
from yingji.enforcement.events import CaseStepTaken
from yingji.enforcement.models import Case, CaseStep, Inspector
from yingji.enforcement.schemas import CaseAmount, CaseCreate, CaseStepCreate, HearingRequest
from yingji.enforcement.service.common import calendar, is_inspector, local_today
from yingji.enforcement.service.roster import inspector_of_user
from yingji.geo import service as geo_service
from yingji.registry import service as registry_service

# Steps that are the head's or the legal unit's to take, not the case officers'.
APPROVAL_STEPS = {"legal_review", "collective_discussion"}


def facts(case: Case) -> rules.CaseFacts:
    return rules.CaseFacts(step=case.step, party=case.party, filed_at=case.filed_at,
                           amount_yuan=Decimal(case.amount_yuan or 0), notified_at=case.notified_at,
                           hearing_requested_at=case.hearing_requested_at, hearing_waived=case.hearing_waived,
                           done=frozenset(case.done or []), extended=case.extended)


def _visible(db: Session, actor: Actor, case: Case) -> bool:
    if is_inspector(actor):
        me = inspector_of_user(db, actor.id)
        return me is not None and me.id in (case.inspector_ids or [])
    return db.scalar(select(func.count()).select_from(Case).where(
        Case.id == case.id, scope_condition(actor, Case.region_path, Case.enterprise_id))) == 1


def get_case(*, db: Session, actor: Actor, case_id: int) -> Case:
    require(actor, "enforcement.read")
    case = db.get(Case, case_id)
    if case is None or not _visible(db, actor, case):
        raise NotFound("案件不存在")
    return case


def list_cases(*, db: Session, actor: Actor, page: PageParams, step: str | None = None) -> tuple[list[Case], int]:
    require(actor, "enforcement.read")
    query = select(Case).where(scope_condition(actor, Case.region_path, Case.enterprise_id))
    if step:
        query = query.where(Case.step == step)
    query = query.order_by(Case.id.desc())
    if not is_inspector(actor):
        return paginate(db, query, page)  # counted and sliced by the database
    # An inspector's own cases: the assignment is a JSON list; a district has hundreds of cases a year, so
    # filtering here is cheap and the same on SQLite and PostgreSQL.
    rows = list(db.scalars(query))
    me = inspector_of_user(db, actor.id)
    rows = [c for c in rows if me is not None and me.id in (c.inspector_ids or [])]
    return rows[page.offset: page.offset + page.page_size], len(rows)


def _writable(db: Session, actor: Actor, case_id: int) -> Case:
    case = get_case(db=db, actor=actor, case_id=case_id)
    require(actor, "enforcement.cases.write")
    return case


def _next_no(db: Session, year: int) -> str:
    prefix = f"柳应急罚〔{year}〕"
    taken = db.scalars(select(Case.case_no).where(Case.case_no.startswith(prefix))).all()
    n = max((int(t[len(prefix):].rstrip("号")) for t in taken), default=0) + 1
    return f"{prefix}{n}号"


def _step(db: Session, actor: Actor, case: Case, step: str, at: datetime, note: str) -> None:
    seq = (db.scalar(select(func.max(CaseStep.seq)).where(CaseStep.case_id == case.id)) or 0) + 1
    db.add(CaseStep(case_id=case.id, seq=seq, step=step, at=at, actor_id=actor.id, note=note))
    db.flush()
    publish(db, CaseStepTaken(case_id=case.id, case_no=case.case_no, step=step, region_path=case.region_path,
                              enterprise_id=case.enterprise_id))


def file_case(*, db: Session, actor: Actor, data: CaseCreate, at: datetime | None = None) -> Case:
    require(actor, "enforcement.cases.write")
    if data.violation not in rules.case_rules()["bands"]:
        raise invalid("violation", f"裁量基准中没有违法行为：{data.violation}")
    if len(set(data.inspector_ids)) < 2:
        raise invalid("inspector_ids", "案件须由两名以上执法人员承办")
    known = set(db.scalars(select(Inspector.id).where(Inspector.id.in_(data.inspector_ids), Inspector.active)))
    if known != set(data.inspector_ids):
        raise invalid("inspector_ids", f"不在执法人员名录中：{sorted(set(data.inspector_ids) - known)}")
    if is_inspector(actor):
        me = inspector_of_user(db, actor.id)
        if me is None or me.id not in data.inspector_ids:
            raise PermissionDenied("执法人员只能立本人承办的案件")
    industry = ""
    if data.enterprise_id is not None:
        e = registry_service.get_enterprise(db=db, actor=actor, enterprise_id=data.enterprise_id)
        path, industry = e.region_path, e.industry
    elif data.region_code:
        path = geo_service.region_info(db=db, code=data.region_code).path
    else:
        raise invalid("region_code", "请填写当事企业或违法行为发生地")
    at = at or utcnow()
    case = Case(case_no=_next_no(db, local_today(at).year), enterprise_id=data.enterprise_id, region_path=path,
                party=data.party, party_name=data.party_name, person_id_no=data.person_id_no,
                violation=data.violation, facts=data.facts, industry=industry, step="filed", done=["filed"],
                inspector_ids=sorted(set(data.inspector_ids)), filed_at=at, amount_yuan=Decimal(0))
    db.add(case)
    db.flush()
    _step(db, actor, case, "filed", at, "立案")
    return case


def set_amount(*, db: Session, actor: Actor, case_id: int, data: CaseAmount) -> rules.BandCheck:
    """The proposed fine, refused outside the violation's discretion band (or zero without the waiver)."""
    case = _writable(db, actor, case_id)
    if "decided" in (case.done or []):
        raise Conflict("处罚决定已作出，不能再改拟罚金额")
    check = rules.check_amount(violation=case.violation, party=case.party, amount_yuan=data.amount_yuan,
                               first_offence=data.first_offence, industry=case.industry)
    if not check.ok:
        raise ValidationFailed(check.reason, details=[invalid("amount_yuan", check.reason).details[0]])
    case.amount_yuan, case.first_offence = data.amount_yuan, data.first_offence
    db.flush()
    return check


def band(case: Case) -> rules.BandCheck:
    return rules.check_amount(violation=case.violation, party=case.party, amount_yuan=Decimal(case.amount_yuan),
                              first_offence=case.first_offence, industry=case.industry)


def request_hearing(*, db: Session, actor: Actor, case_id: int, data: HearingRequest) -> Case:
    """The party's request for a hearing (or its waiver), recorded when it was made."""
    case = _writable(db, actor, case_id)
    if case.step != "notified":
        raise Conflict("只有在告知之后、决定之前才能登记听证申请")
    if data.waived:
        case.hearing_waived = True
        note = "当事人放弃听证"
    else:
        case.hearing_requested_at = data.requested_at or utcnow()
        note = "当事人申请听证"
    db.flush()
    _step(db, actor, case, "notified", data.requested_at or utcnow(), note)
    return case


def extend(*, db: Session, actor: Actor, case_id: int, reason: str) -> Case:
    """The head's approval to extend the case to 90 days (cn-rules §11.2)."""
    case = get_case(db=db, actor=actor, case_id=case_id)
    require(actor, "enforcement.cases.approve")
    if case.extended:
        raise Conflict("办案期限已延长过")
    if case.step == "closed":
        raise Conflict("案件已结案")
    case.extended = True
    db.flush()
    _step(db, actor, case, case.step, utcnow(), f"经负责人批准延长办案期限：{reason}")
    return case


def take_step(*, db: Session, actor: Actor, case_id: int, data: CaseStepCreate) -> Case:
    """Moves the case to ``data.step``; an order the procedure does not allow answers 409 with the reason."""
    case = get_case(db=db, actor=actor, case_id=case_id)
    require(actor, "enforcement.cases.approve" if data.step in APPROVAL_STEPS else "enforcement.cases.write")
    at = data.at or utcnow()
    cal = calendar(db)
    try:
        rules.check_step(facts(case), data.step, now=at, calendar=cal)
    except rules.StepRefused as exc:
        raise Conflict(str(exc)) from exc
    if data.step == "hearing":
        if data.hearing_at is None:
            raise invalid("hearing_at", "请填写听证举行时间")
        notice = rules.hearing_notice_deadline(data.hearing_at, cal)
        if at >= notice.due_at:
            raise Conflict(f"听证通知须在听证七日前送达：{notice.explanation()}")
        case.hearing_at = data.hearing_at
    if data.step == "notified":
        if Decimal(case.amount_yuan or 0) == 0 and not case.first_offence:
            raise Conflict("告知前须先确定拟处罚金额（在裁量基准幅度内）")
        case.notified_at = at
    if data.step == "decided":
        case.decided_at = at
    if data.step == "closed":
        case.closed_at = at
    case.step = data.step
    case.done = sorted({*(case.done or []), data.step}, key=rules.STEPS.index)
    db.flush()
    _step(db, actor, case, data.step, at, data.note or rules.STEP_LABELS[data.step])
    return case


def publish_decision(*, db: Session, actor: Actor, case_id: int) -> Case:
    """Publishes the decision on the public page (行政执法公示), with personal data masked."""
    case = _writable(db, actor, case_id)
    if "decided" not in (case.done or []):
        raise Conflict("尚未作出处罚决定，不能公示")
    if case.published_at is not None:
        raise Conflict("该决定已公示")
    case.published_at = utcnow()
    db.flush()
    return case


def deadlines(db: Session, case: Case, cal: Any = None) -> list[Deadline]:
    """The case's running deadlines; pass ``cal`` (``calendar(db)``) when computing them for a page of
    cases, so the working-day calendar is read once, not once per case."""
    cal = cal if cal is not None else calendar(db)
    table = rules.case_rules()["deadline_rules"]
    out = [rules.case_deadline(facts(case), cal)]
    window = rules.hearing_request_deadline(facts(case), cal)
    if window is not None:
        out.append(window)
    if case.hearing_at is not None:
        out.append(rules.hearing_notice_deadline(case.hearing_at, cal))
    if case.decided_at is not None:
        out.append(compute(table["publication"], start=case.decided_at, calendar=cal))
    return out


def steps(db: Session, case: Case) -> list[CaseStep]:
    return list(db.scalars(select(CaseStep).where(CaseStep.case_id == case.id).order_by(CaseStep.seq)))


def steps_of(db: Session, case_ids: list[int]) -> dict[int, list[CaseStep]]:
    """The steps of a page of cases in one query."""
    out: dict[int, list[CaseStep]] = {i: [] for i in case_ids}
    if case_ids:
        for s in db.scalars(select(CaseStep).where(CaseStep.case_id.in_(case_ids)).order_by(CaseStep.seq)):
            out[s.case_id].append(s)
    return out


# --- publicity -------------------------------------------------------------------------------------


def mask_name(name: str) -> str:
    """A person's name on a public page: the surname, the rest starred (张** for 张三丰)."""
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


def mask_id(number: str) -> str:
    """An ID number with only its first 6 and last 4 characters shown."""
    return number[:6] + "*" * max(0, len(number) - 10) + number[-4:] if len(number) > 10 else "*" * len(number)


@dataclass(frozen=True)
class PublicDecision:
    case_no: str
    party: str  # masked for a person
    id_no: str  # masked
    violation: str
    amount_yuan: Decimal
    decided_at: datetime
    published_at: datetime
    publication_due_last_day: str
    on_time: bool


def public_decisions(*, db: Session) -> list[PublicDecision]:
    rows = db.scalars(select(Case).where(Case.published_at.is_not(None)).order_by(Case.published_at.desc())
                      .limit(500))
    table = rules.case_rules()["deadline_rules"]
    cal = calendar(db)
    out = []
    for c in rows:
        due = compute(table["publication"], start=c.decided_at, calendar=cal)
        label = rules.case_rules()["bands"].get(c.violation, {}).get("label", c.violation)
        out.append(PublicDecision(
            case_no=c.case_no, party=mask_name(c.party_name) if c.party == "person" else c.party_name,
            id_no=mask_id(c.person_id_no), violation=label, amount_yuan=Decimal(c.amount_yuan),
            decided_at=c.decided_at, published_at=c.published_at, publication_due_last_day=str(due.last_day),
            on_time=c.published_at < due.due_at))
    return out


# --- the case against its audit trail --------------------------------------------------------------


def _norm(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key == "amount_yuan":
        return Decimal(str(value)).normalize()
    if key.endswith("_at") and isinstance(value, str):
        parsed = datetime.fromisoformat(value)
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return value


@dataclass(frozen=True)
class CaseMismatch:
    case_no: str
    field: str
    recorded: Any
    stored: Any


def verify_cases(db: Session, *, actor: Actor = SYSTEM) -> list[CaseMismatch]:
    """Replays the audit log of every case (its creation, then each change) and compares it with the stored
    row: a field that differs was changed without the log knowing."""
    require(actor, "enforcement.read")
    out = []
    for case in db.scalars(select(Case).order_by(Case.id)):
        state: dict[str, Any] = {}
        entries = db.scalars(select(AuditEntry).where(AuditEntry.entity == Case.__tablename__,
                                                      AuditEntry.entity_id == str(case.id)).order_by(AuditEntry.seq))
        for e in entries:
            state.update(e.after or {})
        if not state:
            out.append(CaseMismatch(case.case_no, "*", "（审计日志中没有该案件）", ""))
            continue
        for key, recorded in state.items():
            stored = getattr(case, key, None)
            if _norm(key, recorded) != _norm(key, stored):
                out.append(CaseMismatch(case.case_no, key, recorded, stored))
    return out
