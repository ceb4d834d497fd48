"""What the risk pages share: labels for templates, form dates, error shaping, photo uploads."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from yingji.core import files
from yingji.core.clock import LOCAL_TZ
from yingji.core.errors import DomainError, invalid
from yingji.core.i18n import validation_details
from yingji.geo import service as geo_service
from yingji.registry.service import INDUSTRY_LABELS
from yingji.risk import enums

PAGE_SIZE = 50


def labels() -> dict[str, Any]:
    return {
        "level_labels": enums.LEVEL_LABELS,
        "level_short": enums.LEVEL_SHORT,
        "industry_labels": INDUSTRY_LABELS,
        "grade_labels": enums.HAZARD_GRADE_LABELS,
        "status_labels": enums.HAZARD_STATUS_LABELS,
        "source_labels": enums.HAZARD_SOURCE_LABELS,
        "action_labels": enums.ACTION_LABELS,
        "major_labels": enums.MAJOR_GRADE_LABELS,
        "report_labels": enums.REPORT_STATUS_LABELS,
        "method_labels": enums.METHOD_LABELS,
        "unit_labels": enums.UNIT_TYPE_LABELS,
    }


def local_deadline(value: str | None, field: str = "deadline") -> datetime | None:
    """A date from a form (Asia/Shanghai) → the end of that day in UTC."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise invalid(field, "日期格式应为 2026-06-01") from None
    return datetime.combine(day, time(23, 59), tzinfo=LOCAL_TZ).astimezone(UTC)


def errors_of(exc: Exception) -> tuple[str, dict[str, str]]:
    if isinstance(exc, ValidationError):
        details = validation_details(list(exc.errors()))
        return "输入有误，请更正标红的项目", {d["field"]: d["message"] for d in details}
    assert isinstance(exc, DomainError)
    return exc.message, {d.field: d.message for d in exc.details}


async def photo_ids(db, form: FormData, user, field: str = "photo") -> list[int]:
    ids = []
    for item in form.getlist(field):
        if isinstance(item, UploadFile) and item.filename:
            data = await item.read()
            if data:
                ids.append(files.store(db, data=data, filename=item.filename, field=field, uploaded_by=user.id).id)
    return ids


def townships(db) -> list:
    return geo_service.region_infos(db=db, level="township")
