"""Statistical reports (``/stats/reports``: the tables on the page, the .docx and .xlsx to download) and the
one Excel export of every table on every page (``POST /export/table.xlsx``).

The table export turns into a workbook exactly the rows the reader's page shows: ``table-export.js`` puts an
导出Excel button on every table and posts the table's visible header and rows; the server reads nothing
from the database, so an export can never hold a row the page did not show (the page itself was drawn
with the reader's scope). Text that a spreadsheet would take for a formula stays text (core.excel)."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from openpyxl import Workbook
from openpyxl.styles import Font
from pydantic import BaseModel, Field

from yingji.core import excel
from yingji.core.clock import LOCAL_TZ, utcnow
from yingji.core.errors import invalid
from yingji.stats import reports
from yingji.web import downloads
from yingji.web.deps import DbSession, PageUser
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)
Year = Annotated[int | None, Query(ge=2000, le=2100)]
Month = Annotated[int | None, Query(ge=1, le=12)]


def _period(year: int | None, month: int | None) -> tuple[int, int | None]:
    return (year or utcnow().astimezone(LOCAL_TZ).year), month


def _kind(kind: str) -> str:
    if kind not in reports.KINDS:
        raise invalid("kind", "报表种类可选：" + "、".join(f"{k}（{v}）" for k, v in reports.KINDS.items()))
    return kind


@router.get("/stats/reports", response_class=HTMLResponse)
def reports_page(request: Request, db: DbSession, user: PageUser, kind: str = "safety", year: Year = None,
                 month: Month = None) -> HTMLResponse:
    y, m = _period(year, month)
    report = reports.build(db, user, _kind(kind), y, m)
    return render(request, "stats/reports.html", {"report": report, "kinds": reports.KINDS, "kind": kind,
                                                  "year": y, "month": m, "this_year": date.today().year})


@router.get("/stats/reports/{kind}.docx")
def report_docx(kind: str, db: DbSession, user: PageUser, year: Year = None, month: Month = None) -> Response:
    y, m = _period(year, month)
    report = reports.build(db, user, _kind(kind), y, m)
    return downloads.docx(reports.as_docx(report, issuer=reports.issuer(db)), report.title + ".docx")


@router.get("/stats/reports/{kind}.xlsx")
def report_xlsx(kind: str, db: DbSession, user: PageUser, year: Year = None, month: Month = None) -> Response:
    y, m = _period(year, month)
    report = reports.build(db, user, _kind(kind), y, m)
    return downloads.xlsx(reports.as_xlsx(report), report.title + ".xlsx")


# --- every table on every page -------------------------------------------------------------------------

MAX_COLUMNS, MAX_ROWS, MAX_CELL = 60, 5000, 2000
NUMBER = re.compile(r"^-?(0|[1-9]\d{0,10})(\.\d+)?$")  # long digit strings (codes, phones) stay text


class TableExport(BaseModel):
    title: str = Field("", max_length=100)
    page: str = Field("", max_length=300, description="the page's path, written under the title")
    header: list[Annotated[str, Field(max_length=MAX_CELL)]] = Field(max_length=MAX_COLUMNS)
    rows: list[list[Annotated[str, Field(max_length=MAX_CELL)]]] = Field(max_length=MAX_ROWS)


def _cell(text: str) -> str | int | float:
    text = " ".join(text.split())
    if NUMBER.match(text):
        return int(text) if "." not in text else float(text)
    return text


def table_workbook(body: TableExport, *, reader: str, at: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\[\]:*?/\\]", " ", body.title or "表格")[:31] or "表格"
    excel.append(ws, [body.title or "表格"])
    ws["A1"].font = Font(bold=True, size=13)
    excel.append(ws, [f"导出：{reader}，{at}；页面：{body.page}"])
    excel.append(ws, [" ".join(h.split()) for h in body.header])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in body.rows:
        excel.append(ws, [_cell(v) for v in row[:MAX_COLUMNS]])
    for i in range(1, max(len(body.header), 1) + 1):
        ws.column_dimensions[ws.cell(3, i).column_letter].width = 18
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@router.post("/export/table.xlsx")
def export_table(body: TableExport, user: PageUser) -> Response:
    """The table as the page shows it, as .xlsx (a logged-in reader, with the page's CSRF token)."""
    at = utcnow().astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    data = table_workbook(body, reader=getattr(user, "display_name", "") or user.username, at=at)
    return downloads.xlsx(data, (body.title or "表格") + ".xlsx")
