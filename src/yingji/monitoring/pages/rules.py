"""Monitoring pages: alarm rules and their parameters as a form (service.rules)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from yingji.core.errors import invalid
from yingji.core.pagination import PageParams, page_list
from yingji.monitoring import service
from yingji.monitoring.pages.common import PAGE_SIZE, ctx
from yingji.monitoring.schemas import RuleUpdate
from yingji.web.deps import DbSession, PageUser
from yingji.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/monitoring/rules", response_class=HTMLResponse)
def rules_page(request: Request, db: DbSession, user: PageUser, page: int = 1) -> HTMLResponse:
    paging = PageParams.clamped(page, PAGE_SIZE)
    rules, total = page_list(service.list_rules(db=db, actor=user), paging)
    return render(request, "monitoring/rules.html", ctx(db, rules=rules, total=total, paging=paging))


# The parameters of each kind of rule as form fields: (field, parameter, type). The accumulation window is
# asked in hours and stored in seconds.
PARAM_FIELDS: dict[str, list[tuple[str, str, str]]] = {
    "threshold": [("p_op", "op", "op"), ("p_value", "value", "number")],
    "rate": [("p_per_hour", "per_hour", "number"), ("p_direction", "direction", "choice")],
    "accumulation": [("p_window_h", "window_s", "hours"), ("p_value", "value", "number")],
    "no_data": [("p_intervals", "intervals", "integer")],
    "combination": [("p_min_sensors", "min_sensors", "integer"), ("p_min_level", "min_level", "choice")],
}



def _params_from_form(kind: str, form: Any) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for field, key, kind_of in PARAM_FIELDS.get(kind, []):
        raw = str(form.get(field, "")).strip()
        if kind_of in ("op", "choice"):
            params[key] = raw
            continue
        try:
            number = float(raw)
        except ValueError:
            raise invalid(f"params.{key}", f"“{raw}”不是数字") from None
        if kind_of == "hours":
            number *= 3600
        params[key] = int(number) if kind_of in ("integer", "hours") and number == int(number) else number
    return params



@router.post("/monitoring/rules/{rule_id}", response_class=HTMLResponse)
async def rule_edit(request: Request, db: DbSession, user: PageUser, rule_id: int) -> Response:
    """The rule form: level, enabled and the parameters of the rule's kind as separate fields."""
    form = await request.form()
    rule = service.get_rule(db=db, actor=user, rule_id=rule_id)
    try:
        data = RuleUpdate(
            params=_params_from_form(rule.kind, form), level=form.get("level", ""), enabled=form.get("enabled") == "on"
        )
    except ValueError:
        raise invalid("level", "级别无效") from None
    service.update_rule(db=db, actor=user, rule_id=rule_id, data=data)
    return RedirectResponse(request.headers.get("referer") or "/monitoring/rules", status_code=303)
