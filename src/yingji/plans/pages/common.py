"""What the plans pages share: labels for the templates, the form state (values and errors of the one form
that failed), the POST pattern (parse, call the service inside a savepoint, redirect; on bad input the page
again with each error next to its field and nothing saved) and the parsers of the multi-line fields."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from yingji.core.actor import Actor
from yingji.core.errors import DomainError, NotFound, PermissionDenied, invalid
from yingji.core.i18n import validation_details
from yingji.plans import enums
from yingji.plans.service import registry
from yingji.plans.training import CATEGORY_LABELS
from yingji.web.templating import render

PAGE_SIZE = 50
LABELS = {
    "kind": enums.PLAN_KIND_LABELS,
    "level": enums.LEVEL_LABELS,
    "filing": enums.FILING_STATUS_LABELS,
    "drill_kind": enums.DRILL_KIND_LABELS,
    "drill_status": enums.DRILL_STATUS_LABELS,
    "materials": enums.FILING_MATERIALS,
    "checklist": enums.FILING_CHECKLIST,
    "eval_parts": enums.EVALUATION_PARTS,
    "category": CATEGORY_LABELS,
    "cert": enums.CERTIFICATE_KIND_LABELS,
    "course_kind": enums.COURSE_KIND_LABELS,
    "triggers": {"law_changed": "法律法规等依据发生重大变化", "command_changed": "应急指挥机构及其职责调整",
                 "risk_changed": "面临的风险发生重大变化", "resources_changed": "重要应急资源发生重大变化",
                 "problems_found": "演练或应急处置中发现重大问题", "other": "其他情形"},
    "parts": {"command": "指挥机构", "procedures": "处置程序", "measures": "主要措施", "response_grading": "响应分级",
              "contacts": "通讯录", "resources": "应急资源", "wording": "文字修改", "annexes": "附件"},
    "training_role": {"principal": "主要负责人", "safety_manager": "安全管理人员", "worker": "从业人员"},
}


@dataclass
class FormState:
    """The form that failed (by name), what was typed into it and each field's error."""

    name: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    message: str = ""

    def value(self, form: str, key: str, default: Any = "") -> Any:
        return self.values.get(key, default) if form == self.name else default

    def error(self, form: str, key: str) -> str:
        if form != self.name:
            return ""
        return self.errors.get(key) or next((m for k, m in self.errors.items() if k.startswith(key + ".")), "")

    def failed(self, form: str) -> bool:
        return form == self.name


def render_page(request: Request, name: str, ctx: dict[str, Any], *, form: FormState | None = None,
                status: int = 200) -> HTMLResponse:
    return render(request, f"plans/{name}", {"labels": LABELS, "form": form or FormState(), **ctx},
                  status_code=status)


def errors_of(exc: Exception) -> tuple[str, dict[str, str]]:
    if isinstance(exc, ValidationError):
        details = validation_details(list(exc.errors()))
        return "输入有误，请更正标红的项目", {d["field"]: d["message"] for d in details}
    assert isinstance(exc, DomainError)
    return exc.message, {d.field: d.message for d in exc.details}


def form_values(form: FormData) -> dict[str, Any]:
    """Text fields as typed (a repeated name, e.g. checkboxes, as a list); files and the token left out."""
    out: dict[str, Any] = {}
    for key in form:
        if key == "csrf_token":
            continue
        items = [v for v in form.getlist(key) if isinstance(v, str)]
        if items:
            out[key] = items if len(items) > 1 else items[0]
    return out


Action = Callable[[dict[str, Any], FormData], Awaitable[str]]
Again = Callable[[FormState, int], HTMLResponse]


async def post_form(request: Request, db: Session, name: str, action: Action, again: Again) -> Response:
    """Runs ``action`` (which returns the address to go to) in a savepoint. Bad input or a conflict: the page
    again (``again``) with the errors, the savepoint rolled back. A refusal (403) or an invisible record (404)
    is not a form error: it answers as any page does."""
    form = await request.form()
    values = form_values(form)
    try:
        with db.begin_nested():
            target = await action(values, form)
    except (PermissionDenied, NotFound):
        raise
    except (ValidationError, DomainError) as exc:
        message, errors = errors_of(exc)
        status = exc.status_code if isinstance(exc, DomainError) else 422
        return again(FormState(name, values, errors, message), status)
    return RedirectResponse(target, status_code=303)


def opt(value: Any) -> Any:
    """An empty form field is an absent value."""
    return None if value in ("", None) else value


def listed(value: Any) -> list[str]:
    """Checkboxes: one, several or none."""
    if value in (None, ""):
        return []
    return value if isinstance(value, list) else [value]


def words(value: Any) -> list[str]:
    """A list typed as words separated by commas, 、 or spaces."""
    text = str(value or "")
    for sep in ("，", "、", ";", "；", "\n"):
        text = text.replace(sep, ",")
    return [w.strip() for part in text.split(",") for w in part.split() if w.strip()]


def lines(value: Any, field_name: str, width: int) -> list[list[str]]:
    """A textarea of records, one a line, their parts separated by | (the last may hold more |)."""
    out = []
    for n, line in enumerate(str(value or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) < width:
            raise invalid(field_name, f"第 {n} 行应有 {width} 项，以 | 分隔")
        out.append(parts[: width - 1] + ["|".join(parts[width - 1:])])
    return out


def scalar(text: str) -> Any:
    """A trigger value as data: whole numbers as numbers, a list of words as a list, else the text."""
    text = text.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    items = words(text)
    return items if len(items) > 1 or "," in text else text


def trigger_of(text: str, field_name: str) -> dict[str, Any]:
    """``min_deaths=3; grades=I,II`` → {"min_deaths": 3, "grades": ["I", "II"]}."""
    out: dict[str, Any] = {}
    for part in text.replace("；", ";").split(";"):
        if not part.strip():
            continue
        key, eq, val = part.partition("=")
        if not eq or not key.strip():
            raise invalid(field_name, f"启动条件“{part.strip()}”应写成 名称=值")
        out[key.strip()] = scalar(val)
    return out


def day(value: Any, field_name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise invalid(field_name, "日期格式应为 2026-06-01") from None


async def uploads(db: Session, user: Actor, form: FormData, key: str) -> list[int]:
    """The files posted under ``key``, stored as the user's uploads (refused types name the field)."""
    ids = []
    for item in form.getlist(key):
        if isinstance(item, UploadFile) and item.filename:
            data = await item.read()
            ids.append(registry.upload_document(db=db, actor=user, data=data, filename=item.filename, field=key).id)
    return ids
