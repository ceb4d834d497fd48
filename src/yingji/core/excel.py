"""Excel (.xlsx) templates, all-or-nothing imports with a row-by-row error report, and exports.

A capability describes its sheet once as a list of ``Column`` and gets: a template to download (Chinese
headers, a notes sheet), a parser that checks every row and reports every bad cell by row number and
column name, and an exporter. ``import_all`` applies a function to every row and raises one
``ValidationFailed`` listing every row that failed, so the caller's transaction rolls back and nothing
is imported.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from yingji.core.errors import DomainError, ErrorDetail, ValidationFailed

MAX_ROWS = 50_000
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Text a spreadsheet would take for a formula (=, and +, -, @ in Excel and LibreOffice; tab and CR in front of
# them): written as a text cell with Excel's quote prefix, so it stays text even when someone edits the cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters have no place in a cell, and XML 1.0 (the .xlsx format) cannot hold them; tab, line feed
# and carriage return are kept.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "str"  # str | int | float | decimal | bool | date | datetime
    required: bool = False
    # Chinese label → stored value (e.g. {"危险化学品": "hazardous_chemicals"}); values also accepted.
    choices: dict[str, str] = field(default_factory=dict)
    help: str = ""


@dataclass
class Row:
    number: int  # the row number as Excel shows it (header is row 1)
    values: dict[str, Any]


def template(columns: list[Column], *, title: str, example: dict[str, Any] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([c.label + ("*" if c.required else "") for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDECEA")
    if example:
        append(ws, [example.get(c.key, "") for c in columns])
    for i, c in enumerate(columns, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(12, len(c.label) * 2 + 4)
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "必填", "类型", "可选值", "说明"])
    kinds = {
        "str": "文本",
        "int": "整数",
        "float": "数字",
        "decimal": "数字",
        "bool": "是/否",
        "date": "日期",
        "datetime": "日期时间",
    }
    for c in columns:
        notes.append([c.label, "是" if c.required else "", kinds.get(c.kind, c.kind), "、".join(c.choices), c.help])
    notes.append([])
    notes.append(["带 * 的列必填。整张表要么全部导入，要么一行也不导入：任何一行有错，都会列出所有出错的行。"])
    return _save(wb)


def export(columns: list[Column], rows: Iterable[dict[str, Any]], *, title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([c.label for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        out = []
        for c in columns:
            value = row.get(c.key)
            if c.choices and value is not None:
                value = next((label for label, v in c.choices.items() if v == value), value)
            if c.kind == "bool" and value is not None:
                value = "是" if value else "否"
            if isinstance(value, datetime) and value.tzinfo is not None:
                value = value.replace(tzinfo=None)
            if isinstance(value, Decimal):
                value = float(value)
            out.append(value)
        append(ws, out)
    for i, c in enumerate(columns, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(12, len(c.label) * 2 + 4)
    return _save(wb)


def safe_value(value: Any) -> Any:
    """A cell's value as exported: text without control characters; anything else unchanged."""
    return CONTROL_CHARS.sub("", value) if isinstance(value, str) else value


def append(ws: Any, values: list[Any]) -> None:
    """Appends one row of data to a sheet: the only way exports write cells, so that no text ever becomes a
    formula (a team named ``=HYPERLINK(...)`` would otherwise be a live link in whoever opens the file)."""
    ws.append([safe_value(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            cell.data_type = "s"
            cell.quotePrefix = True


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _convert(c: Column, raw: Any) -> Any:
    if isinstance(raw, str):
        raw = raw.strip()
    if raw is None or raw == "":
        if c.required:
            raise ValueError("必填")
        return None
    if c.choices:
        text = str(raw)
        if text in c.choices:
            return c.choices[text]
        if text in c.choices.values():
            return text
        raise ValueError(f"取值“{text}”无效，可选：{'、'.join(c.choices)}")
    if c.kind == "str":
        return str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)
    if c.kind == "int":
        if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
            raise ValueError("须为整数")
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise ValueError("须为整数") from None
    if c.kind in ("float", "decimal"):
        try:
            return Decimal(str(raw)) if c.kind == "decimal" else float(raw)
        except (TypeError, ValueError, InvalidOperation):
            raise ValueError("须为数字") from None
    if c.kind == "bool":
        text = str(raw).lower()
        if text in ("是", "true", "1", "y", "yes"):
            return True
        if text in ("否", "false", "0", "n", "no"):
            return False
        raise ValueError("须为“是”或“否”")
    if c.kind in ("date", "datetime"):
        if isinstance(raw, datetime):
            return raw.date() if c.kind == "date" else raw
        if isinstance(raw, date):
            return raw
        try:
            parsed = datetime.fromisoformat(str(raw))
        except ValueError:
            raise ValueError("日期格式应为 2026-06-01") from None
        return parsed.date() if c.kind == "date" else parsed
    return raw


def read(data: bytes, columns: list[Column]) -> list[Row]:
    """Parses the first sheet. Raises ``ValidationFailed`` listing every bad cell (nothing is returned)."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, Exception) as exc:  # zip/xml errors vary
        raise ValidationFailed(
            "无法读取文件：请上传 .xlsx 格式的 Excel 文件", details=[ErrorDetail("file", type(exc).__name__)]
        ) from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ValidationFailed("文件是空的", details=[ErrorDetail("file", "没有表头")])
    labels = [str(h).strip().rstrip("*") if h is not None else "" for h in header]
    index = {}
    missing = []
    for c in columns:
        if c.label in labels:
            index[c.key] = labels.index(c.label)
        elif c.required:
            missing.append(c.label)
    if missing:
        raise ValidationFailed(
            "表头缺少必填列：" + "、".join(missing), details=[ErrorDetail("header", f"缺少列“{m}”") for m in missing]
        )
    out: list[Row] = []
    errors: list[ErrorDetail] = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if len(out) >= MAX_ROWS:
            raise ValidationFailed(f"一次最多导入 {MAX_ROWS} 行")
        parsed: dict[str, Any] = {}
        for c in columns:
            raw = values[index[c.key]] if c.key in index and index[c.key] < len(values) else None
            try:
                parsed[c.key] = _convert(c, raw)
            except ValueError as exc:
                errors.append(ErrorDetail(f"第{number}行 {c.label}", str(exc)))
        out.append(Row(number, parsed))
    wb.close()
    if errors:
        raise row_errors(errors)
    return out


def row_errors(errors: list[ErrorDetail]) -> ValidationFailed:
    rows = sorted({e.field.split(" ")[0] for e in errors})
    return ValidationFailed(f"有 {len(rows)} 行数据有误，整批未导入：" + "、".join(rows[:20]), details=errors)


def import_all(rows: list[Row], apply: Callable[[Row], Any]) -> list[Any]:
    """Applies ``apply`` to every row; a DomainError on any row is collected with its row number, and at the
    end one ``ValidationFailed`` lists them all (the caller's transaction then rolls back)."""
    results, errors = [], []
    for row in rows:
        try:
            results.append(apply(row))
        except DomainError as exc:
            if exc.details:
                errors += [ErrorDetail(f"第{row.number}行 {d.field}", d.message) for d in exc.details]
            else:
                errors.append(ErrorDetail(f"第{row.number}行", exc.message))
    if errors:
        raise row_errors(errors)
    return results
