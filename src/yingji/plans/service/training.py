"""Training and qualification: trainees, courses with attendance and hours, certificates with expiry and
review, the hours each person still owes (``plans/training.py``) and the plan's rates from the records,
each with its target and the people behind it. A category with nobody of known qualification is shown
as missing (None), never as 0 %."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core import events
from yingji.core.actor import Actor, require
from yingji.core.errors import NotFound, invalid
from yingji.core.pagination import PageParams, paginate
from yingji.geo import service as geo_service
from yingji.plans.enums import TRAINING_HIGH_RISK_INDUSTRIES
from yingji.plans.events import CertificateExpiring
from yingji.plans.models import Attendance, Certificate, Course, Trainee
from yingji.plans.schemas import CertificateCreate, CourseCreate, TraineeCreate
from yingji.plans.service.common import district, ensure_readable, ensure_writable, local_today, read_condition
from yingji.plans.training import (
    Person,
    Rate,
    TrainingStatus,
    certificate_next_review,
    compute_rate,
    rate_rules,
    training_status,
)
from yingji.registry import service as registry_service

EXPIRY_WINDOW_DAYS = 90


def _place(db: Session, enterprise_id: int | None, region_code: str | None) -> tuple[str, bool]:
    """(region path, high-risk sector) of a trainee or course."""
    if enterprise_id is not None:
        try:
            info = registry_service.enterprise_info(db=db, enterprise_id=enterprise_id)
        except NotFound:
            raise invalid("enterprise_id", "企业不存在") from None
        return info.region_path, info.industry in TRAINING_HIGH_RISK_INDUSTRIES
    if region_code:
        try:
            return geo_service.region_info(db=db, code=region_code).path, False
        except NotFound:
            raise invalid("region_code", "区域不存在") from None
    return district(db).path, False


def create_trainee(*, db: Session, actor: Actor, data: TraineeCreate) -> Trainee:
    require(actor, "plans.training.write")
    if data.enterprise_id is None and actor.enterprise_id is not None:
        data = data.model_copy(update={"enterprise_id": actor.enterprise_id})
    path, high = _place(db, data.enterprise_id, data.region_code)
    if data.enterprise_id is None and data.region_code is None and actor.scope_path:
        path = actor.scope_path
    ensure_writable(actor, region_path=path, enterprise_id=data.enterprise_id, what="人员")
    row = Trainee(high_risk=high, region_path=path, **data.model_dump(exclude={"region_code", "phone"}),
                  phone=data.phone or "")
    db.add(row)
    db.flush()
    return row


def get_trainee(*, db: Session, actor: Actor, trainee_id: int) -> Trainee:
    require(actor, "plans.read")
    row = db.get(Trainee, trainee_id)
    if row is None:
        raise NotFound("人员不存在")
    ensure_readable(actor, region_path=row.region_path, enterprise_id=row.enterprise_id, what="人员")
    return row


def list_trainees(*, db: Session, actor: Actor, page: PageParams, category: str | None = None
                  ) -> tuple[list[Trainee], int]:
    require(actor, "plans.read")
    query = select(Trainee).where(read_condition(actor, Trainee.region_path, Trainee.enterprise_id))
    if category:
        query = query.where(Trainee.category == category)
    return paginate(db, query.order_by(Trainee.id), page)


def create_course(*, db: Session, actor: Actor, data: CourseCreate) -> Course:
    require(actor, "plans.training.write")
    enterprise_id = data.enterprise_id if data.enterprise_id is not None else actor.enterprise_id
    path, _high = _place(db, enterprise_id, None)
    if enterprise_id is None and actor.scope_path:
        path = actor.scope_path
    ensure_writable(actor, region_path=path, enterprise_id=enterprise_id, what="培训")
    course = Course(title=data.title, kind=data.kind, hours=data.hours, held_on=data.held_on,
                    organiser=data.organiser, region_path=path, enterprise_id=enterprise_id)
    db.add(course)
    db.flush()
    for i, tid in enumerate(dict.fromkeys(data.attendees)):
        try:
            trainee = get_trainee(db=db, actor=actor, trainee_id=tid)
        except NotFound:
            raise invalid(f"attendees[{i}]", f"人员 {tid} 不存在") from None
        db.add(Attendance(course_id=course.id, trainee_id=trainee.id, hours=data.hours))
    db.flush()
    return course


def add_certificate(*, db: Session, actor: Actor, data: CertificateCreate) -> Certificate:
    require(actor, "plans.training.write")
    try:
        trainee = get_trainee(db=db, actor=actor, trainee_id=data.trainee_id)
    except NotFound:
        raise invalid("trainee_id", "人员不存在") from None
    ensure_writable(actor, region_path=trainee.region_path, enterprise_id=trainee.enterprise_id, what="人员")
    if data.expires_on is not None and data.expires_on < data.issued_on:
        raise invalid("expires_on", "有效期截止日不能早于发证日期")
    row = Certificate(**data.model_dump())
    db.add(row)
    db.flush()
    return row


def certificates_of(*, db: Session, actor: Actor, trainee_id: int) -> list[Certificate]:
    trainee = get_trainee(db=db, actor=actor, trainee_id=trainee_id)
    return list(db.scalars(select(Certificate).where(Certificate.trainee_id == trainee.id).order_by(Certificate.id)))


def certificate_due(cert: Certificate) -> date | None:
    """The day a certificate stops counting: its expiry, or for a 特种作业操作证 its next review
    (令30 第二十一条), whichever comes first."""
    dates = [d for d in (cert.expires_on,) if d is not None]
    if cert.kind == "special_operations":
        dates.append(certificate_next_review(issued=cert.issued_on, last_review=cert.last_review_on,
                                             clean_years=cert.clean_years))
    return min(dates) if dates else None


def _valid(cert: Certificate, on: date) -> bool:
    due = certificate_due(cert)
    return cert.issued_on <= on and (due is None or on <= due)


@dataclass(frozen=True)
class RateView:
    rate: Rate
    names: dict[int, str]  # trainee id → name, for the records behind the rate


def rates(*, db: Session, actor: Actor, on: date | None = None) -> list[RateView]:
    require(actor, "plans.read")
    on = on or local_today()
    people = list(db.scalars(select(Trainee).where(read_condition(actor, Trainee.region_path, Trainee.enterprise_id),
                                                    Trainee.category.is_not(None))))
    certs: dict[int, set[str]] = {p.id: set() for p in people}
    for c in db.scalars(select(Certificate).where(Certificate.trainee_id.in_(list(certs)))):
        if _valid(c, on):
            certs[c.trainee_id].add(c.kind)
    out = []
    for rule in rate_rules():
        group = [p for p in people if p.category == rule.category]
        rate = compute_rate(rule, [Person(p.id, p.specialised, frozenset(certs[p.id])) for p in group])
        out.append(RateView(rate, {p.id: p.name for p in group}))
    return out


def hours_status(*, db: Session, actor: Actor, trainee_id: int, year: int | None = None) -> TrainingStatus | None:
    """Hours done and owed by one person with a training role; None when the person has none."""
    trainee = get_trainee(db=db, actor=actor, trainee_id=trainee_id)
    if trainee.training_role is None:
        return None
    records = [(c.held_on, a.hours, c.kind) for a, c in db.execute(
        select(Attendance, Course).join(Course, Attendance.course_id == Course.id)
        .where(Attendance.trainee_id == trainee.id, Attendance.passed.is_(True)))]
    year = year or local_today().year
    return training_status(role=trainee.training_role, high_risk=trainee.high_risk, records=records, year=year,
                           started=trainee.started_on or date(year, 1, 1))


def expiring_certificates(*, db: Session, actor: Actor, today: date | None = None,
                          window_days: int = EXPIRY_WINDOW_DAYS) -> list[tuple[Certificate, Trainee, date]]:
    require(actor, "plans.read")
    today = today or local_today()
    out = []
    rows = db.execute(select(Certificate, Trainee).join(Trainee, Certificate.trainee_id == Trainee.id)
                      .where(read_condition(actor, Trainee.region_path, Trainee.enterprise_id)))
    for cert, trainee in rows:
        due = certificate_due(cert)
        if due is not None and due <= today + timedelta(days=window_days):
            out.append((cert, trainee, due))
    return sorted(out, key=lambda r: r[2])


def remind_certificates(*, db: Session, actor: Actor, today: date | None = None) -> int:
    """Publishes ``CertificateExpiring`` once per certificate and due date."""
    found = expiring_certificates(db=db, actor=actor, today=today)
    for cert, t, due in found:
        events.publish(db, CertificateExpiring(cert.id, t.id, t.name, t.region_path, t.enterprise_id, cert.kind, due),
                       event_id=f"plan-cert-{cert.id}-{due:%Y%m%d}")
    return len(found)
