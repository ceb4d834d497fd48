"""Warehouse pages: the list, a warehouse's stock and documents, booking, reversal and receipt."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from yingji.core.errors import invalid
from yingji.core.pagination import PageParams, page_list
from yingji.resources import service
from yingji.resources.pages.common import PAGE_SIZE, form_model, render_page
from yingji.resources.schemas import DocumentCreate, LineIn
from yingji.web.deps import DbSession, PageUser

router = APIRouter(include_in_schema=False)


@router.get("/resources/warehouses", response_class=HTMLResponse)
def warehouses_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return render_page(
        request,
        "warehouses.html",
        {
            "rows": service.list_warehouses(db=db, actor=user),
            "transit": service.in_transit(db=db, actor=user),
            "alerts": service.list_alerts(db=db, actor=user),
            "agreements": service.list_agreements(db=db, actor=user),
        },
    )


@router.get("/resources/warehouses/{warehouse_id}", response_class=HTMLResponse)
def warehouse_page(
    request: Request, db: DbSession, user: PageUser, warehouse_id: int, error: str = "", docs: int = 1
) -> HTMLResponse:
    doc_paging = PageParams.clamped(docs, PAGE_SIZE)
    documents, doc_total = page_list(service.list_documents(db=db, actor=user, warehouse_id=warehouse_id), doc_paging)
    return render_page(
        request,
        "warehouse.html",
        {
            "w": service.get_warehouse(db=db, actor=user, warehouse_id=warehouse_id),
            "stock": service.stock(db=db, actor=user, warehouse_id=warehouse_id),
            "documents": documents,
            "doc_total": doc_total,
            "doc_paging": doc_paging,
            "materials": service.list_materials(db=db, actor=user),
            "warehouses": service.list_warehouses(db=db, actor=user),
            "error": error,
        },
    )


@router.post("/resources/warehouses/{warehouse_id}/documents", response_class=HTMLResponse)
async def book(request: Request, db: DbSession, user: PageUser, warehouse_id: int) -> Response:
    """One-line documents from the warehouse page, created and posted in one step: 出库 (earliest expiry
    first), 调拨 (in transit until received), 验收入库 (with the acceptance check), 捐赠入库."""
    form = await request.form()
    value = {k: str(v).strip() for k, v in form.items() if k != "csrf_token" and str(v).strip()}
    kind = value.get("kind", "")
    if kind not in ("issue", "transfer", "receipt", "donation"):
        raise invalid("kind", "请选择出库、调拨、验收入库或捐赠入库")
    try:
        qty = Decimal(value.get("quantity", ""))
    except InvalidOperation:
        raise invalid("quantity", "数量须为数字") from None
    line = {"material_id": value.get("material_id"), "quantity": qty}
    if kind in ("receipt", "donation"):
        line |= {k: value.get(k) for k in ("batch_no", "production_date", "expiry_date")}
    body: dict[str, Any] = {
        "kind": kind,
        "warehouse_id": warehouse_id,
        "counterparty": value.get("counterparty", ""),
        "reason": value.get("reason", ""),
        "lines": [form_model(LineIn, line)],
    }
    if kind == "transfer":
        body["to_warehouse_id"] = value.get("to_warehouse_id")
    if kind == "receipt":
        body["acceptance"] = {"inspector": value.get("inspector", ""), "passed": value.get("passed") == "on"}
    doc = service.create_document(db=db, actor=user, data=form_model(DocumentCreate, body))
    service.post_document(db=db, actor=user, document_id=doc.id)
    return RedirectResponse(f"/resources/warehouses/{warehouse_id}", status_code=303)


@router.post("/resources/documents/{document_id}/reverse")
def reverse(db: DbSession, user: PageUser, document_id: int, reason: str = Form("")) -> Response:
    rev = service.reverse_document(db=db, actor=user, document_id=document_id, reason=reason)
    return RedirectResponse(f"/resources/warehouses/{rev.warehouse_id}", status_code=303)


@router.post("/resources/documents/{document_id}/receive")
def receive(db: DbSession, user: PageUser, document_id: int) -> Response:
    doc = service.receive_transfer(db=db, actor=user, document_id=document_id)
    return RedirectResponse(f"/resources/warehouses/{doc.to_warehouse_id}", status_code=303)
