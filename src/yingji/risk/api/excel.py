"""Excel import and export (service.excel_io)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile

from yingji.core.actor import require
from yingji.core.validation import RecordId
from yingji.risk.enums import HazardGrade, HazardStatus
from yingji.risk.service import excel_io
from yingji.web import downloads
from yingji.web.deps import ApiUser, DbSession

router = APIRouter()


@router.get("/import/{kind}/template")
def import_template(kind: str, user: ApiUser) -> Response:
    require(user, "risk.read")
    name, data = excel_io.template(kind)
    return downloads.xlsx(data, name)


@router.post("/import/{kind}")
async def import_xlsx(kind: str, db: DbSession, user: ApiUser, file: Annotated[UploadFile, File()]) -> dict:
    """All or nothing: any bad row refuses the whole file and lists every bad row."""
    return {"imported": excel_io.import_rows(db=db, actor=user, kind=kind, data=await file.read())}


@router.get("/export/enterprises/{enterprise_id}/risk-list")
def export_risk_list(enterprise_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    name, data = excel_io.export_risk_list(db=db, actor=user, enterprise_id=enterprise_id)
    return downloads.xlsx(data, name)


@router.get("/export/hazards")
def export_ledger(
    db: DbSession,
    user: ApiUser,
    status: HazardStatus | None = None,
    grade: HazardGrade | None = None,
    enterprise_id: RecordId | None = None,
    overdue: bool | None = None,
) -> Response:
    name, data = excel_io.export_ledger(db=db, actor=user, status=status, grade=grade, enterprise_id=enterprise_id,
                                        overdue=overdue)
    return downloads.xlsx(data, name)
