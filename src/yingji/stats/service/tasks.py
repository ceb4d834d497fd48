"""The plan's implementation (第五章三): every task and 专栏 item as a tracked task with lead and supporting
departments, milestones and a measurable target where the plan gives one. The list ships as data
(``data/tasks.toml`` for Liujiang); another district loads its own. Where the platform holds the data
(fire stations, warehouses, coverage, loudspeakers, the rates) a task names a ``measure`` (a provider a
capability registers, ``core.rates``) and its progress is computed from the records, never typed; the
other tasks' progress is what the departments report, with evidence (files stored through core.files)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core import files
from yingji.core import rates as registry
from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.errors import NotFound, ValidationFailed, invalid
from yingji.stats.models import PlanTask, TaskProgress
from yingji.stats.schemas import ProgressCreate
from yingji.stats.service.common import actor_name, this_year
from yingji.stats.service.rates import value_of

MEASURE = re.compile(r"[a-z_]+\.[a-z0-9_]+")
STATUS_LABELS = {"not_started": "未开始", "in_progress": "推进中", "done": "已完成"}
EVIDENCE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf", files.DOCX_TYPE}
KNOWN_KEYS = {"code", "section", "title", "text", "lead", "supporting", "due_year", "target", "unit", "base",
              "measure", "milestones"}


def default_list() -> str:
    return resources.files("yingji.stats").joinpath("data", "tasks.toml").read_text("utf-8")


def _parse(text: str) -> list[dict[str, Any]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise invalid("file", f"不是有效的 TOML：{exc}") from None
    items = data.get("task")
    if not isinstance(items, list) or not items:
        raise invalid("file", "没有任务（[[task]]）")
    problems, seen = [], set()
    for n, t in enumerate(items, start=1):
        where = f"第{n}个任务"
        if not isinstance(t, dict):
            problems.append((where, "格式无效"))
            continue
        for key in ("code", "section", "title", "lead"):
            if not isinstance(t.get(key), str) or not t[key].strip():
                problems.append((f"{where} {key}", "必填"))
        if t.get("code") in seen:
            problems.append((f"{where} code", f"任务编号 {t['code']} 重复"))
        seen.add(t.get("code"))
        for key in set(t) - KNOWN_KEYS:
            problems.append((f"{where} {key}", "未知的字段"))
        if not isinstance(t.get("due_year", 2025), int) or not 2000 <= t.get("due_year", 2025) <= 2100:
            problems.append((f"{where} due_year", "须为年份"))
        if "target" in t and not isinstance(t["target"], int | float):
            problems.append((f"{where} target", "须为数字"))
        measure = t.get("measure", "")
        if measure and (not isinstance(measure, str) or not MEASURE.fullmatch(measure)):
            problems.append((f"{where} measure", "须为“模块.名称”，如 resources.fire_stations_level1"))
        elif measure and registry.providers() and measure not in registry.providers():
            # checked where the capabilities have registered theirs (the running app), not in a bare seed
            problems.append((f"{where} measure", f"平台中没有名为 {measure} 的数据来源"))
        for m in t.get("milestones", []):
            if not isinstance(m, dict) or not isinstance(m.get("year"), int):
                problems.append((f"{where} milestones", "每个里程碑须有年份 year"))
    if problems:
        from yingji.core.errors import ErrorDetail

        head = "；".join(f"{w} {m}" for w, m in problems[:10])
        raise ValidationFailed(f"任务清单有 {len(problems)} 处错误，未导入：{head}",
                               [ErrorDetail(w, m) for w, m in problems])
    return items


def load_tasks(*, db: Session, actor: Actor, text: str | None = None) -> int:
    """Loads a task list (all or nothing): tasks are matched by code, so their reported progress stays;
    a task no longer in the list is removed with its progress."""
    require(actor, "stats.tasks")
    items = _parse(text if text is not None else default_list())
    existing = {t.code: t for t in db.scalars(select(PlanTask))}
    for pos, t in enumerate(items):
        row = existing.pop(t["code"], None) or PlanTask(code=t["code"])
        row.section, row.title, row.text = t["section"], t["title"][:200], t.get("text", "")
        row.lead, row.supporting = t["lead"], list(t.get("supporting", []))
        row.due_year = int(t.get("due_year", 2025))
        row.target = None if t.get("target") is None else Decimal(str(t["target"]))
        row.unit, row.base = t.get("unit", ""), Decimal(str(t.get("base", 0)))
        row.measure, row.milestones, row.position = t.get("measure", ""), list(t.get("milestones", [])), pos
        db.add(row)
    for gone in existing.values():
        db.delete(gone)
    db.flush()
    return len(items)


@dataclass
class Progress:
    task: PlanTask
    computed: bool  # from the records (a measure), not typed
    current: Decimal | float | None  # in the task's unit (a share for 比例)
    share: float | None  # of the target, 0..1
    status: str
    latest: TaskProgress | None
    link: str = ""
    note: str = ""

    @property
    def milestone(self) -> dict[str, Any] | None:
        """The next milestone from this year on, or the last one."""
        ms = sorted(self.task.milestones, key=lambda m: m["year"])
        return next((m for m in ms if m["year"] >= this_year()), ms[-1] if ms else None)

    @property
    def overdue(self) -> bool:
        return self.status != "done" and self.task.due_year < this_year()


def _progress(db: Session, actor: Actor, task: PlanTask, latest: TaskProgress | None) -> Progress:
    if task.measure:
        v = value_of(db=db, actor=actor, code=task.measure)
        provider = registry.providers().get(task.measure)
        if v is None or provider is None:
            return Progress(task, True, None, None, "unknown", latest, note="无权查看或未接入数据来源")
        if provider.kind == "count":
            current: Any = None if v.numerator is None else Decimal(str(v.numerator)) - task.base
            current = None if current is None else max(current, Decimal(0))
        else:
            current = v.value
        share = None
        if current is not None and task.target:
            share = min(float(current) / float(task.target), 1.0)
        status = "unknown" if current is None else ("done" if share is not None and share >= 0.9995 else
                                                    "in_progress" if current else "not_started")
        return Progress(task, True, current, share, status, latest, v.link, v.note)
    if latest is None:
        return Progress(task, False, None, None, "not_started", None)
    share = None
    if latest.value is not None and task.target:
        share = min(float(latest.value) / float(task.target), 1.0)
    elif latest.status == "done":
        share = 1.0
    return Progress(task, False, latest.value, share, latest.status, latest)


def _latest(db: Session, ids: list[int]) -> dict[int, TaskProgress]:
    out: dict[int, TaskProgress] = {}
    if ids:
        for p in db.scalars(select(TaskProgress).where(TaskProgress.task_id.in_(ids)).order_by(TaskProgress.id)):
            out[p.task_id] = p
    return out


def list_tasks(*, db: Session, actor: Actor, section: str | None = None, lead: str | None = None) -> list[Progress]:
    require(actor, "stats.read")
    q = select(PlanTask).order_by(PlanTask.position, PlanTask.id)
    if section:
        q = q.where(PlanTask.section == section)
    if lead:
        q = q.where(PlanTask.lead == lead)
    tasks = list(db.scalars(q))
    latest = _latest(db, [t.id for t in tasks])
    return [_progress(db, actor, t, latest.get(t.id)) for t in tasks]


def get_task(*, db: Session, actor: Actor, task_id: int) -> tuple[Progress, list[TaskProgress]]:
    require(actor, "stats.read")
    task = db.get(PlanTask, task_id)
    if task is None:
        raise NotFound("任务不存在")
    history = list(db.scalars(select(TaskProgress).where(TaskProgress.task_id == task.id)
                              .order_by(TaskProgress.id.desc())))
    return _progress(db, actor, task, history[0] if history else None), history


def report_progress(*, db: Session, actor: Actor, task_id: int, data: ProgressCreate) -> TaskProgress:
    """A department reports where a task stands. A task whose progress the platform computes takes no typed
    value (its records say it); a note and evidence are still welcome."""
    require(actor, "stats.progress")
    task = db.get(PlanTask, task_id)
    if task is None:
        raise NotFound("任务不存在")
    if task.measure and data.value is not None:
        raise invalid("value", "该任务的进度由平台记录计算，不填写数值")
    if data.year > this_year() + 1:
        raise invalid("year", "不能填报未来年份的进度")
    ids = files.ensure_linkable(db, actor, list(data.attachment_ids))
    row = TaskProgress(task_id=task.id, year=data.year, status=data.status, value=data.value, note=data.note,
                       department=data.department or task.lead, attachment_ids=ids, reported_at=utcnow(),
                       reported_by=actor_name(actor))
    db.add(row)
    db.flush()
    return row


def store_evidence(*, db: Session, actor: Actor, data: bytes, filename: str) -> files.Attachment:
    require(actor, "stats.progress")
    return files.store(db, data=data, filename=filename, allowed=EVIDENCE_TYPES, field="file",
                       uploaded_by=getattr(actor, "id", None))


def summary(rows: list[Progress]) -> dict[str, int]:
    out = {"done": 0, "in_progress": 0, "not_started": 0, "unknown": 0, "overdue": 0, "computed": 0}
    for p in rows:
        out[p.status] = out.get(p.status, 0) + 1
        out["overdue"] += p.overdue
        out["computed"] += p.computed
    return out


def evidence(*, db: Session, actor: Actor, task_id: int, attachment_id: int) -> tuple[files.Attachment, Any]:
    """An evidence file of one of the task's progress reports (any other id answers as missing)."""
    _progress_row, history = get_task(db=db, actor=actor, task_id=task_id)
    if not any(attachment_id in h.attachment_ids for h in history):
        raise NotFound("附件不存在")
    return files.load(db, attachment_id)
