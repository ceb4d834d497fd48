"""JSON API of the statistics capability under /api/v1/stats (thin: parse, call the service, shape)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Path, Response, UploadFile
from fastapi.responses import FileResponse

from yingji.core import files
from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.stats.indicators import rounded
from yingji.stats.schemas import (
    ImportResult,
    IndicatorRead,
    ProgressCreate,
    ProgressRead,
    RateRead,
    TaskLoad,
    TaskRead,
    UploadRead,
    YearInputRead,
    YearInputWrite,
)
from yingji.stats.service import evaluation, figures, inputs, rates, tasks
from yingji.web import downloads
from yingji.web.deps import ApiUser, DbSession

router = APIRouter(prefix="/stats", tags=["stats"])
Year = Annotated[int, Path(ge=2000, le=2100)]
Figure = Literal["work_safety", "major", "road_traffic", "disaster"]


def _page(items: list[Any]) -> dict[str, Any]:
    return {"items": items, "total": len(items), "page": 1, "page_size": max(len(items), 1)}


def _input(r: Any) -> YearInputRead:
    return YearInputRead(year=r.year, gdp_yi=None if r.gdp_yuan is None else r.gdp_yuan / inputs.YI,
                         population=r.population, vehicles=r.vehicles, source=r.source, is_demo=r.is_demo)


@router.get("/indicators", response_model=Page[IndicatorRead])
def list_indicators(db: DbSession, user: ApiUser) -> Any:
    """The indicators of 专栏1 over the plan's years so far; a value needing a missing input is null and the
    input is named in ``missing``. ``records`` links each year's figures to the incidents they came from."""
    rows, _years = figures.indicators(db=db, actor=user)
    out = []
    for r in rows:
        d = r.definition
        out.append(IndicatorRead(
            code=r.code, label=d.label, kind=d.kind, unit=d.unit, base=d.base, target=d.target,
            value=rounded(r.value.value), met=r.value.met, missing=[figures.missing_label(m) for m in r.value.missing],
            by_year={y: rounded(v) for y, v in r.value.by_year.items()},
            records={y: {f: f"/api/v1/stats/records/{y}/{f}" for f in fs} for y, fs in r.links.items()}))
    return _page(out)


@router.get("/records/{year}/{figure}")
def figure_records(year: Year, figure: Figure, db: DbSession, user: ApiUser) -> dict[str, Any]:
    """The incidents a year's figure was computed from (drills are never among them)."""
    rows = figures.records(db=db, actor=user, year_=year, figure=figure)
    items = [{"id": i.id, "title": i.title, "kind": i.kind, "occurred_at": i.occurred_at.isoformat(),
              "deaths": i.deaths, "grade": i.grade, "url": f"/incidents/{i.id}"} for i in rows]
    return _page(items)


@router.get("/inputs", response_model=Page[YearInputRead])
def list_inputs(db: DbSession, user: ApiUser) -> Any:
    """The yearly inputs the platform does not own; null: not known."""
    return _page([_input(r) for r in inputs.list_inputs(db=db, actor=user)])


@router.put("/inputs/{year}", response_model=YearInputRead)
def put_input(year: Year, data: YearInputWrite, db: DbSession, user: ApiUser) -> Any:
    return _input(inputs.set_input(db=db, actor=user, year=year, data=data))


@router.get("/inputs.xlsx")
def export_inputs(db: DbSession, user: ApiUser) -> Response:
    return downloads.xlsx(inputs.export(db=db, actor=user), "inputs.xlsx")


@router.get("/inputs/template.xlsx")
def inputs_template(user: ApiUser) -> Response:
    return downloads.xlsx(inputs.template(), "inputs-template.xlsx")


@router.post("/inputs/import", response_model=ImportResult)
async def import_inputs(db: DbSession, user: ApiUser, file: Annotated[UploadFile, File()]) -> Any:
    """Every row or none: a bad row is named (row number and column) and nothing is imported."""
    return ImportResult(imported=inputs.import_xlsx(db=db, actor=user, data=await file.read()))


@router.get("/rates", response_model=Page[RateRead])
def list_rates(db: DbSession, user: ApiUser) -> Any:
    """Every rate of the plan, as the capability computing it gives it; ``state`` not_connected: no
    capability provides it yet (``missing`` says what is lacking)."""
    out = []
    for r in rates.gather(db=db, actor=user):
        v = r.value
        out.append(RateRead(code=r.code, label=r.label, section=r.section, target=r.target, state=r.state,
                            value=v.value if v else None, numerator=v.numerator if v else None,
                            denominator=v.denominator if v else None, unit=v.unit if v else "",
                            link=v.link if v else r.source, trend=r.trend, capability=r.capability,
                            missing=r.missing))
    return _page(out)


def _task(p: Any) -> TaskRead:
    t = p.task
    return TaskRead(id=t.id, code=t.code, section=t.section, title=t.title, lead=t.lead, supporting=t.supporting,
                    due_year=t.due_year, target=t.target, unit=t.unit, measure=t.measure, milestones=t.milestones,
                    computed=p.computed, current=None if p.current is None else float(p.current), share=p.share,
                    status=p.status, overdue=p.overdue, link=p.link)


@router.get("/tasks", response_model=Page[TaskRead])
def list_tasks(db: DbSession, user: ApiUser) -> Any:
    return _page([_task(p) for p in tasks.list_tasks(db=db, actor=user)])


@router.post("/tasks/load", response_model=ImportResult)
def load_tasks(data: TaskLoad, db: DbSession, user: ApiUser) -> Any:
    """Loads a district's task list (TOML, all or nothing); an empty body loads the shipped list."""
    return ImportResult(imported=tasks.load_tasks(db=db, actor=user, text=data.toml or None))


@router.get("/tasks/{task_id}", response_model=TaskRead)
def read_task(task_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return _task(tasks.get_task(db=db, actor=user, task_id=task_id)[0])


@router.get("/tasks/{task_id}/progress", response_model=Page[ProgressRead])
def task_progress(task_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return _page([ProgressRead.model_validate(r) for r in tasks.get_task(db=db, actor=user, task_id=task_id)[1]])


@router.post("/tasks/{task_id}/progress", response_model=ProgressRead, status_code=201)
def report_progress(task_id: RecordId, data: ProgressCreate, db: DbSession, user: ApiUser) -> Any:
    return ProgressRead.model_validate(tasks.report_progress(db=db, actor=user, task_id=task_id, data=data))


@router.post("/uploads", response_model=UploadRead, status_code=201)
async def upload_evidence(db: DbSession, user: ApiUser, file: Annotated[UploadFile, File()]) -> Any:
    """Evidence for a progress report (JPEG, PNG, WebP, PDF, DOCX); link it by id in the report."""
    row = tasks.store_evidence(db=db, actor=user, data=await file.read(), filename=file.filename or "evidence")
    return UploadRead(id=row.id, filename=row.filename, content_type=files.media_type(row), size=row.size)


@router.get("/evaluation/{kind}.docx")
def evaluation_report(kind: Literal["midterm", "final"], db: DbSession, user: ApiUser) -> Response:
    """The mid-term (through 2023) or final (through 2025) evaluation report as .docx."""
    data, name = evaluation.report(db=db, actor=user, kind=kind)
    return downloads.docx(data, name)


@router.get("/tasks/{task_id}/files/{attachment_id}")
def task_file(task_id: RecordId, attachment_id: RecordId, db: DbSession, user: ApiUser) -> FileResponse:
    """An evidence file of the task's progress reports."""
    row, path = tasks.evidence(db=db, actor=user, task_id=task_id, attachment_id=attachment_id)
    return FileResponse(path, media_type=files.media_type(row), filename=row.filename)
