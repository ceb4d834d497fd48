"""JSON routes under /api/v1/risk: thin — parse, call the service, shape."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Body, File, Response, UploadFile
from fastapi.responses import FileResponse

from yingji.core import files
from yingji.core.actor import require
from yingji.core.errors import NotFound, PermissionDenied
from yingji.core.excel import XLSX_MIME
from yingji.core.pagination import Page
from yingji.geo import service as geo_service
from yingji.registry.service import INDUSTRY_LABELS
from yingji.risk.enums import HazardGrade, HazardStatus, ReportStatus
from yingji.risk.schemas import (
    FiveAssurances,
    GradeResult,
    HazardCreate,
    HazardDetail,
    HazardEventRead,
    HazardRead,
    MajorHazardCreate,
    MajorHazardRead,
    PublicReportRead,
    ReportDecision,
    RiskPointCreate,
    RiskPointRead,
    SuperviseRequest,
    TransitionRequest,
)
from yingji.risk.service import escalation, excel_io, hazards, major_hazards, mapping, points, reports, supervision
from yingji.web.deps import ApiUser, DbSession, Paging, in_scope

router = APIRouter(prefix="/risk", tags=["risk"])
AnyBody = Annotated[dict[str, Any], Body()]


def xlsx(name: str, data: bytes) -> Response:
    return Response(
        data, media_type=XLSX_MIME, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    )


def hazard_read(h, model=HazardRead, **extra) -> Any:
    return model.model_validate(h).model_copy(update={"overdue": hazards.is_overdue(h), **extra})


# --- grading and GB 18218 ------------------------------------------------------------------------


@router.post("/grade", response_model=GradeResult)
def grade(body: AnyBody, user: ApiUser) -> dict:
    """One risk point by LEC (`{"method": "lec", "L", "E", "C"}`) or the 5×5 matrix
    (`{"method": "matrix", "likelihood", "severity"}`) → score, level (red/orange/yellow/blue), reason."""
    return points.grade(actor=user, payload=body).as_dict()


@router.post("/major-hazard/assess")
def assess_major_hazard(body: AnyBody, user: ApiUser) -> dict:
    """GB 18218-2018 identification (S = Σq/Q ≥ 1) and grading (R = αΣβq/Q → 一级–四级) of one unit."""
    return major_hazards.assess(actor=user, payload=body).as_dict()


# --- risk points and major hazard sources --------------------------------------------------------


@router.get("/points", response_model=Page[RiskPointRead])
def list_points(
    db: DbSession, user: ApiUser, paging: Paging, enterprise_id: int | None = None, level: str | None = None
) -> Page[RiskPointRead]:
    rows, total = points.list_points(db=db, actor=user, page=paging, enterprise_id=enterprise_id, level=level)
    return Page.of(RiskPointRead, rows, total, paging)


@router.post("/points", response_model=RiskPointRead, status_code=201)
def create_point(body: RiskPointCreate, db: DbSession, user: ApiUser) -> RiskPointRead:
    return RiskPointRead.model_validate(points.create_point(db=db, actor=user, data=body))


@router.get("/points/{point_id}", response_model=RiskPointRead)
def get_point(
    point: Annotated[Any, in_scope(points.get_point, "point_id")],
    db: DbSession,
    user: ApiUser,
) -> RiskPointRead:
    return RiskPointRead.model_validate(point)


@router.delete("/points/{point_id}", status_code=204)
def delete_point(point_id: int, db: DbSession, user: ApiUser) -> Response:
    points.delete_point(db=db, actor=user, point_id=point_id)
    return Response(status_code=204)


@router.get("/major-hazards", response_model=Page[MajorHazardRead])
def list_major_hazards(
    db: DbSession, user: ApiUser, paging: Paging, enterprise_id: int | None = None, only_major: bool = False
) -> Page[MajorHazardRead]:
    rows = major_hazards.list_sources(db=db, actor=user, enterprise_id=enterprise_id, only_major=only_major)
    return Page.sliced(rows, paging, MajorHazardRead)


@router.post("/major-hazards", response_model=MajorHazardRead, status_code=201)
def create_major_hazard(body: MajorHazardCreate, db: DbSession, user: ApiUser) -> MajorHazardRead:
    return MajorHazardRead.model_validate(major_hazards.create_source(db=db, actor=user, data=body))


@router.get("/major-hazards/{source_id}", response_model=MajorHazardRead)
def get_major_hazard(
    source: Annotated[Any, in_scope(major_hazards.get_source, "source_id")],
    db: DbSession,
    user: ApiUser,
) -> MajorHazardRead:
    return MajorHazardRead.model_validate(source)


# --- hidden hazards ------------------------------------------------------------------------------


@router.get("/hazards", response_model=Page[HazardRead])
def list_hazards(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    status: HazardStatus | None = None,
    grade: HazardGrade | None = None,
    enterprise_id: int | None = None,
    overdue: bool | None = None,
    supervised: bool | None = None,
) -> Page[HazardRead]:
    rows, total = hazards.list_hazards(
        db=db,
        actor=user,
        page=paging,
        status=status,
        grade=grade,
        enterprise_id=enterprise_id,
        overdue=overdue,
        supervised=supervised,
    )
    return Page(items=[hazard_read(h) for h in rows], total=total, page=paging.page, page_size=paging.page_size)


@router.post("/hazards", response_model=HazardRead, status_code=201)
def create_hazard(body: HazardCreate, db: DbSession, user: ApiUser) -> HazardRead:
    return hazard_read(hazards.create_hazard(db=db, actor=user, data=body))


@router.get("/hazards/{hazard_id}", response_model=HazardDetail)
def get_hazard(
    h: Annotated[Any, in_scope(hazards.get_hazard, "hazard_id")],
    db: DbSession,
    user: ApiUser,
) -> HazardDetail:
    events = [HazardEventRead.model_validate(e) for e in hazards.events(db=db, actor=user, hazard_id=h.id)]
    return hazard_read(h, HazardDetail, events=events)


@router.post("/hazards/{hazard_id}/transitions", response_model=HazardRead)
def transition(hazard_id: int, body: TransitionRequest, db: DbSession, user: ApiUser) -> HazardRead:
    h = hazards.transition(
        db=db,
        actor=user,
        hazard_id=hazard_id,
        action=body.action,
        note=body.note,
        attachment_ids=body.attachment_ids,
        grade=body.grade,
        deadline=body.deadline,
    )
    return hazard_read(h)


@router.put("/hazards/{hazard_id}/five-assurances", response_model=HazardRead)
def five_assurances(hazard_id: int, body: FiveAssurances, db: DbSession, user: ApiUser) -> HazardRead:
    return hazard_read(hazards.set_five_assurances(db=db, actor=user, hazard_id=hazard_id, data=body))


@router.post("/hazards/{hazard_id}/supervise", response_model=HazardRead)
def supervise(hazard_id: int, body: SuperviseRequest, db: DbSession, user: ApiUser) -> HazardRead:
    h = hazards.supervise(
        db=db, actor=user, hazard_id=hazard_id, supervising_unit=body.supervising_unit, note=body.note
    )
    return hazard_read(h)


@router.get("/hazards/{hazard_id}/attachments/{attachment_id}")
def hazard_attachment(hazard_id: int, attachment_id: int, db: DbSession, user: ApiUser) -> FileResponse:
    if not any(attachment_id in e.attachment_ids for e in hazards.events(db=db, actor=user, hazard_id=hazard_id)):
        raise NotFound("附件不存在")
    row, path = files.load(db, attachment_id)
    return FileResponse(path, media_type=row.content_type, filename=row.filename)


@router.post("/attachments", status_code=201)
async def upload(db: DbSession, user: ApiUser, file: Annotated[UploadFile, File()]) -> dict:
    """A photo (JPEG/PNG/WebP) for a hazard step; pass its id in ``attachment_ids``."""
    if not any(user.can(p) for p in ("risk.hazard.report", "risk.hazard.rectify", "risk.hazard.manage")):
        raise PermissionDenied("没有上传附件的权限")
    row = files.store(db, data=await file.read(), filename=file.filename or "photo", uploaded_by=user.id)
    return {"id": row.id, "content_type": row.content_type, "size": row.size}


@router.get("/notices")
def notices(db: DbSession, user: ApiUser, paging: Paging, hazard_id: int | None = None) -> Page[dict[str, Any]]:
    rows = [
        {
            "id": n.id,
            "hazard_id": n.hazard_id,
            "kind": n.kind,
            "recipient": n.recipient,
            "message": n.message,
            "created_at": n.created_at.isoformat(),
        }
        for n in escalation.list_notices(db=db, actor=user, hazard_id=hazard_id)
    ]
    return Page.sliced(rows, paging)


# --- supervision and the map ---------------------------------------------------------------------


@router.get("/enterprises")
def enterprise_levels(
    db: DbSession,
    user: ApiUser,
    paging: Paging,
    industry: str | None = None,
    township: str | None = None,
    level: str | None = None,
) -> Page[dict[str, Any]]:
    """Each enterprise's risk level, open hazards and inspection frequency (差异化监管)."""
    rows = supervision.enterprise_risks(db=db, actor=user, industry=industry, township_code=township, level=level)
    return Page.sliced([r.as_dict() for r in rows], paging)


@router.get("/enterprises/{enterprise_id}/supervision")
def enterprise_supervision(enterprise_id: int, db: DbSession, user: ApiUser) -> dict:
    return supervision.enterprise_risk(db=db, actor=user, enterprise_id=enterprise_id).as_dict()


@router.get("/district")
def district(db: DbSession, user: ApiUser, industry: str | None = None, township: str | None = None) -> dict:
    view = supervision.district_view(db=db, actor=user, industry=industry, township_code=township)
    view["rows"] = [r.as_dict() for r in view["rows"]]
    return view


LAYERS = {
    "points": mapping.points_layer,
    "enterprises": mapping.enterprises_layer,
    "major-hazards": mapping.major_hazards_layer,
    "grid": mapping.grid_rollup,
}


@router.get("/map/{layer}")
def map_layer(layer: str, db: DbSession, user: ApiUser, industry: str | None = None, township: str | None = None):
    """GeoJSON of risk points, enterprises, major hazard sources or the grid-cell roll-up, coloured by level."""
    if layer not in LAYERS:
        raise NotFound("没有这个图层：可选 " + "、".join(LAYERS))
    return LAYERS[layer](db=db, actor=user, industry=industry or None, township_code=township or None)


@router.get("/map-filters")
def map_filters(db: DbSession, user: ApiUser) -> dict:
    require(user, "risk.read")
    towns = geo_service.region_infos(db=db, level="township")
    return {"industries": INDUSTRY_LABELS, "townships": [{"code": t.code, "name": t.name} for t in towns]}


# --- public reports (staff side) -----------------------------------------------------------------


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
def decide_report(report_id: int, body: ReportDecision, db: DbSession, user: ApiUser) -> PublicReportRead:
    return PublicReportRead.model_validate(reports.decide(db=db, actor=user, report_id=report_id, data=body))


# --- Excel ---------------------------------------------------------------------------------------


@router.get("/import/{kind}/template")
def import_template(kind: str, user: ApiUser) -> Response:
    require(user, "risk.read")
    return xlsx(*excel_io.template(kind))


@router.post("/import/{kind}")
async def import_xlsx(kind: str, db: DbSession, user: ApiUser, file: Annotated[UploadFile, File()]) -> dict:
    """All or nothing: any bad row refuses the whole file and lists every bad row."""
    return {"imported": excel_io.import_rows(db=db, actor=user, kind=kind, data=await file.read())}


@router.get("/export/enterprises/{enterprise_id}/risk-list")
def export_risk_list(enterprise_id: int, db: DbSession, user: ApiUser) -> Response:
    return xlsx(*excel_io.export_risk_list(db=db, actor=user, enterprise_id=enterprise_id))


@router.get("/export/hazards")
def export_ledger(
    db: DbSession,
    user: ApiUser,
    status: HazardStatus | None = None,
    grade: HazardGrade | None = None,
    enterprise_id: int | None = None,
    overdue: bool | None = None,
) -> Response:
    return xlsx(
        *excel_io.export_ledger(
            db=db, actor=user, status=status, grade=grade, enterprise_id=enterprise_id, overdue=overdue
        )
    )
