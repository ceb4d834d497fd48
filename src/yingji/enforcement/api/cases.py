"""Random draws (双随机) and cases (行政处罚案件): steps, deadlines, the electronic case file."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.enforcement.case_procedure import STEP_LABELS
from yingji.enforcement.schemas import (
    BandRead,
    CaseAmount,
    CaseCreate,
    CaseExtension,
    CaseRead,
    CaseStepCreate,
    CaseStepRead,
    DeadlineRead,
    DrawCreate,
    DrawRead,
    HearingRequest,
    RedrawCreate,
)
from yingji.enforcement.service import cases, draws
from yingji.enforcement.service.case_file import case_file_pdf
from yingji.web import downloads
from yingji.web.deps import ApiUser, DbSession, Paging

router = APIRouter()


# --- draws -----------------------------------------------------------------------------------------


@router.get("/draws", response_model=Page[DrawRead])
def list_draws(db: DbSession, user: ApiUser, paging: Paging, year: int | None = None) -> Page[Any]:
    rows, total = draws.list_draws(db=db, actor=user, page=paging, year=year)
    return Page(items=[draws.view(r, user) for r in rows], total=total, page=paging.page, page_size=paging.page_size)


@router.post("/draws", response_model=DrawRead, status_code=201)
def commit_draw(body: DrawCreate, db: DbSession, user: ApiUser) -> Any:
    """Publishes the commitment (seed hash and the inputs' hashes); the draw itself is the next call."""
    return draws.view(draws.commit_draw(db=db, actor=user, data=body), user)


@router.get("/draws/{draw_id}", response_model=DrawRead)
def get_draw(draw_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return draws.view(draws.get_draw(db=db, actor=user, draw_id=draw_id), user)


@router.post("/draws/{draw_id}/perform", response_model=DrawRead)
def perform_draw(draw_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return draws.view(draws.perform_draw(db=db, actor=user, draw_id=draw_id), user)


@router.post("/draws/{draw_id}/redraw", response_model=DrawRead, status_code=201)
def redraw(draw_id: RecordId, body: RedrawCreate, db: DbSession, user: ApiUser) -> Any:
    """A new draw replacing this one, with the reason; both stay published."""
    return draws.view(draws.redraw(db=db, actor=user, draw_id=draw_id, data=body), user)


# --- cases -----------------------------------------------------------------------------------------


def case_read(db: Any, case: Any, *, cal: Any = None, steps: list | None = None) -> CaseRead:
    """One case as read; a list passes the calendar and the steps it loaded once for its page."""
    b = cases.band(case)
    return CaseRead(
        id=case.id, case_no=case.case_no, enterprise_id=case.enterprise_id, party=case.party,
        party_name=case.party_name, violation=case.violation, amount_yuan=case.amount_yuan,
        first_offence=case.first_offence, step=case.step, step_label=STEP_LABELS[case.step], filed_at=case.filed_at,
        notified_at=case.notified_at, hearing_requested_at=case.hearing_requested_at, hearing_at=case.hearing_at,
        decided_at=case.decided_at, published_at=case.published_at, extended=case.extended,
        inspector_ids=case.inspector_ids,
        band=BandRead(ok=b.ok, reason=b.reason, low=b.low, high=b.high, waivable=b.waivable),
        deadlines=[DeadlineRead(label=d.rule.label, last_day=str(d.last_day), due_at=d.due_at,
                                provisional=d.provisional, explanation=d.explanation())
                   for d in cases.deadlines(db, case, cal)],
        steps=[CaseStepRead.model_validate(s) for s in (steps if steps is not None else cases.steps(db, case))],
    )


@router.get("/cases", response_model=Page[CaseRead])
def list_cases(db: DbSession, user: ApiUser, paging: Paging, step: str | None = None) -> Page[Any]:
    rows, total = cases.list_cases(db=db, actor=user, page=paging, step=step)
    cal, steps = cases.calendar(db), cases.steps_of(db, [c.id for c in rows])
    items = [case_read(db, c, cal=cal, steps=steps[c.id]) for c in rows]
    return Page(items=items, total=total, page=paging.page, page_size=paging.page_size)


@router.post("/cases", response_model=CaseRead, status_code=201)
def file_case(body: CaseCreate, db: DbSession, user: ApiUser) -> Any:
    return case_read(db, cases.file_case(db=db, actor=user, data=body))


@router.get("/cases/{case_id}", response_model=CaseRead)
def get_case(case_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return case_read(db, cases.get_case(db=db, actor=user, case_id=case_id))


@router.get("/cases/{case_id}/file.pdf")
def case_file(case_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    """The electronic case file (电子卷宗): cover, index and every document, as one PDF."""
    data = case_file_pdf(db=db, actor=user, case_id=case_id)
    return downloads.download(data, f"case-{case_id}.pdf", downloads.PDF_MEDIA_TYPE, inline=True)


@router.put("/cases/{case_id}/amount", response_model=BandRead)
def set_amount(case_id: RecordId, body: CaseAmount, db: DbSession, user: ApiUser) -> Any:
    """The proposed fine; refused (422, with the band) outside the violation's discretion band."""
    b = cases.set_amount(db=db, actor=user, case_id=case_id, data=body)
    return BandRead(ok=b.ok, reason=b.reason, low=b.low, high=b.high, waivable=b.waivable)


@router.post("/cases/{case_id}/steps", response_model=CaseRead)
def take_step(case_id: RecordId, body: CaseStepCreate, db: DbSession, user: ApiUser) -> Any:
    """The next step of the procedure; 409 with the reason for an order the procedure does not allow."""
    return case_read(db, cases.take_step(db=db, actor=user, case_id=case_id, data=body))


@router.post("/cases/{case_id}/hearing-request", response_model=CaseRead)
def request_hearing(case_id: RecordId, body: HearingRequest, db: DbSession, user: ApiUser) -> Any:
    return case_read(db, cases.request_hearing(db=db, actor=user, case_id=case_id, data=body))


@router.post("/cases/{case_id}/extension", response_model=CaseRead)
def extend(case_id: RecordId, body: CaseExtension, db: DbSession, user: ApiUser) -> Any:
    return case_read(db, cases.extend(db=db, actor=user, case_id=case_id, reason=body.reason))


@router.post("/cases/{case_id}/publication", response_model=CaseRead)
def publish_decision(case_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return case_read(db, cases.publish_decision(db=db, actor=user, case_id=case_id))
