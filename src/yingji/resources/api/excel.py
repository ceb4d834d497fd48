"""Excel templates, export and import of the resources sheets (service.excel)."""

from __future__ import annotations

from fastapi import APIRouter, File, Response, UploadFile

from yingji.resources import service
from yingji.web import downloads
from yingji.web.deps import ApiUser, DbSession

router = APIRouter()


@router.get("/excel/{sheet}/template")
def excel_template(sheet: str, user: ApiUser) -> Response:
    return downloads.xlsx(service.template(sheet), f"{sheet}-template.xlsx")


@router.get("/excel/{sheet}")
def excel_export(sheet: str, db: DbSession, user: ApiUser) -> Response:
    return downloads.xlsx(service.export_sheet(db=db, actor=user, name=sheet), f"{sheet}.xlsx")


@router.post("/excel/{sheet}")
def excel_import(sheet: str, db: DbSession, user: ApiUser, file: UploadFile = File(...)) -> dict[str, int]:
    return {"imported": service.import_sheet(db=db, actor=user, name=sheet, data=file.file.read())}
