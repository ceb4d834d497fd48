"""Public 举报 reports and their decision (service.reports)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import FileResponse

from yingji.core import files
from yingji.core.errors import NotFound
from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.risk.enums import ReportStatus
from yingji.risk.schemas import (
    PublicReportRead,
    ReportDecision,
)
from yingji.risk.service import reports
from yingji.web.deps import ApiUser, DbSession, Paging, in_scope

router = APIRouter()


@router.get("/reports", response_model=Page[PublicReportRead])
def list_reports(
    db: DbSession, user: ApiUser, paging: Paging, status: ReportStatus | None = None
) -> Page[PublicReportRead]:
    rows, total = reports.list_reports(db=db, actor=user, page=paging, status=status)
    return Page.of(PublicReportRead, rows, total, paging)


@router.get("/reports/{report_id}/photo")
def report_photo(
    report: Annotated[Any, in_scope(reports.get_report, "report_id")],
    db: DbSession,
    user: ApiUser,
) -> FileResponse:
    if report.attachment_id is None:
        raise NotFound("该举报没有照片")
    row, path = files.load(db, report.attachment_id)
    return FileResponse(path, media_type=row.content_type, filename=row.filename)


@router.post("/reports/{report_id}/decision", response_model=PublicReportRead)
def decide_report(report_id: RecordId, body: ReportDecision, db: DbSession, user: ApiUser) -> PublicReportRead:
    return PublicReportRead.model_validate(reports.decide(db=db, actor=user, report_id=report_id, data=body))


