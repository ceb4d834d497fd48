"""The command workspace of an incident (指挥调度): the response level started, raised, lowered and ended
with who decided and when; the drawn affected area; tasks to departments, teams and townships; numbered
signed situation reports; messages. Everything lands on the one timeline, which is also what the live
workspace of every other officer watches (``change_token``). Records changed by two officers at once
carry a version: the second change is a 409 naming who changed what, and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require
from yingji.core.clock import LOCAL_TZ, utcnow
from yingji.core.errors import Conflict, NotFound, invalid
from yingji.core.pagination import PageParams, paginate
from yingji.incidents.command_models import CommandState, DispatchOrder, ResponseChange, Sitrep, Task
from yingji.incidents.models import CasualtyChange, GradeChange, Incident, IncidentReport, TimelineEntry
from yingji.incidents.service import impact, obligations
from yingji.incidents.service.common import actor_name, ensure_open, load, note

READ, WRITE = "incidents.command.read", "incidents.command"
LEVELS = ("I", "II", "III", "IV")  # I is the most serious (一级响应)
LEVEL_LABELS = {"I": "一级", "II": "二级", "III": "三级", "IV": "四级"}
RESPONSE_ACTIONS = {"start": "启动", "raise": "提升", "lower": "降低", "end": "终止"}
TASK_STATUSES = {"open": "待办", "in_progress": "进行中", "done": "已完成", "cancelled": "已取消"}
ASSIGNEE_KINDS = {"department": "部门", "team": "队伍", "township": "镇（街道）"}
TIMELINE_ON_PAGE = 200


def load_for_command(db: Session, actor: Actor, incident_id: int) -> Incident:
    """The incident for reading the command workspace: 403 for a role without command access (the
    information officer, the enterprise manager), 404 outside the actor's area, as for the incident itself."""
    require(actor, READ)
    return load(db, actor, incident_id)


def load_for_writing(db: Session, actor: Actor, incident_id: int, *, for_update: bool = False) -> Incident:
    """The incident for a command (an open one, inside the actor's own area)."""
    require(actor, WRITE)
    incident = load(db, actor, incident_id, permission="incidents.manage", for_update=for_update)
    ensure_open(incident)
    return incident


def state_of(db: Session, incident_id: int, *, for_update: bool = False) -> CommandState:
    query = select(CommandState).where(CommandState.incident_id == incident_id)
    state = db.scalar(query.with_for_update() if for_update else query)
    if state is None:
        state = CommandState(incident_id=incident_id, response_level="", version=1, area_note="", area_by="")
        db.add(state)
        db.flush()
    return state


def _check_version(db: Session, incident_id: int, record: Any, version: int, what: str) -> None:
    """409 when the record changed since the version the officer saw, naming the last change."""
    if version == record.version:
        return
    last = db.scalar(select(TimelineEntry).where(TimelineEntry.incident_id == incident_id)
                     .order_by(TimelineEntry.id.desc()).limit(1))
    who = f"（{last.actor_name} 于 {last.at.astimezone(LOCAL_TZ):%H:%M}：{last.text[:40]}）" if last else ""
    raise Conflict(f"该{what}已被他人修改{who}：您看到的是第 {version} 版，现在是第 {record.version} 版。"
                   "请刷新查看最新数据后再提交，您填写的内容仍保留在表单中。")


# --- response level ---------------------------------------------------------------------------------


def set_response(*, db: Session, actor: Actor, incident_id: int, action: str, level: str = "",
                 decided_by: str = "", reason: str = "", version: int) -> ResponseChange:
    """启动 / 提升 / 降低 / 终止 the response: a new level must be more (raise) or less (lower) serious than
    the one in force; start needs none in force, end one in force."""
    incident = load_for_writing(db, actor, incident_id, for_update=True)
    state = state_of(db, incident.id, for_update=True)
    _check_version(db, incident.id, state, version, "响应级别")
    if action not in RESPONSE_ACTIONS:
        raise invalid("action", "操作须为 start、raise、lower 或 end")
    current = state.response_level
    if action == "end":
        if not current:
            raise invalid("action", "尚未启动响应，无需终止")
        level = ""
    else:
        if level not in LEVELS:
            raise invalid("level", "响应级别须为 I、II、III 或 IV")
        if action == "start" and current:
            raise invalid("action", f"已在{LEVEL_LABELS[current]}响应中，请选择提升或降低")
        if action in ("raise", "lower") and not current:
            raise invalid("action", "尚未启动响应，请先启动")
        if action == "raise" and LEVELS.index(level) >= LEVELS.index(current):
            raise invalid("level", f"提升后的级别须高于当前的{LEVEL_LABELS[current]}响应")
        if action == "lower" and LEVELS.index(level) <= LEVELS.index(current):
            raise invalid("level", f"降低后的级别须低于当前的{LEVEL_LABELS[current]}响应")
    now = utcnow()
    decider = decided_by.strip() or actor_name(actor)
    change = ResponseChange(incident_id=incident.id, action=action, old_level=current, new_level=level,
                            decided_by=decider[:80], recorded_by=actor_name(actor), at=now, reason=reason.strip()[:300])
    db.add(change)
    state.response_level = level
    if action == "start":
        state.response_started_at, state.response_ended_at = now, None
    if action == "end":
        state.response_ended_at = now
    state.version += 1
    label = f"{LEVEL_LABELS[level]}响应" if level else "应急响应"
    note(db, incident.id, "response", f"{RESPONSE_ACTIONS[action]}{label}（{decider} 决定）"
         + (f"：{reason.strip()}" if reason.strip() else ""), actor=actor, at=now)
    db.flush()
    return change


# --- affected area ----------------------------------------------------------------------------------


def polygon(area: Any) -> dict[str, Any]:
    """A GeoJSON Polygon geometry, rings closed, coordinates (lon, lat) in range; errors name ``area``."""
    if not isinstance(area, dict) or area.get("type") != "Polygon":
        raise invalid("area", "影响范围须为 GeoJSON 多边形（type 为 Polygon）")
    rings = area.get("coordinates")
    if not isinstance(rings, list) or not rings:
        raise invalid("area", "多边形缺少坐标")
    out = []
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise invalid("area", "多边形每个环至少 3 个顶点（首尾相同）")
        points = []
        for p in ring:
            ok = isinstance(p, list | tuple) and len(p) == 2 and all(
                isinstance(x, int | float) and not isinstance(x, bool) for x in p)
            if not ok or not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90):
                raise invalid("area", "坐标须为 [经度, 纬度]，经度 -180～180，纬度 -90～90")
            points.append([float(p[0]), float(p[1])])
        if points[0] != points[-1]:
            raise invalid("area", "多边形的环须首尾闭合")
        out.append(points)
    return {"type": "Polygon", "coordinates": out}


def set_area(*, db: Session, actor: Actor, incident_id: int, area: Any, note_text: str = "",
             version: int) -> CommandState:
    incident = load_for_writing(db, actor, incident_id, for_update=True)
    state = state_of(db, incident.id, for_update=True)
    _check_version(db, incident.id, state, version, "影响范围")
    geometry = polygon(area) if area is not None else None
    if geometry is not None:  # the one stored area, which the impact estimate reads
        impact.set_affected_area(db=db, actor=actor, incident_id=incident.id, geometry=geometry, quiet=True)
    else:
        impact.clear_affected_area(db=db, incident_id=incident.id)
    db.expire(state, ["affected"])
    state.area_note = note_text.strip()[:300]
    state.area_by, state.area_at = actor_name(actor), utcnow()
    state.version += 1
    text = (f"划定影响范围（{len(geometry['coordinates'][0]) - 1} 个顶点）" if geometry else "清除影响范围")
    note(db, incident.id, "area", text + (f"：{state.area_note}" if state.area_note else ""), actor=actor)
    db.flush()
    return state


# --- messages, tasks, sitreps -----------------------------------------------------------------------


def add_message(*, db: Session, actor: Actor, incident_id: int, text: str) -> TimelineEntry:
    incident = load_for_writing(db, actor, incident_id)
    if not text.strip():
        raise invalid("text", "请填写内容")
    entry = note(db, incident.id, "message", text.strip()[:2000], actor=actor)
    db.flush()
    return entry


def _as_utc(value: datetime | None, field: str) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise invalid(field, "时间须带时区")
    return value.astimezone(UTC)


def create_task(*, db: Session, actor: Actor, incident_id: int, title: str, assignee_kind: str, assignee: str,
                due_at: datetime | None = None, detail: str = "") -> Task:
    incident = load_for_writing(db, actor, incident_id)
    if not title.strip():
        raise invalid("title", "请填写任务内容")
    if assignee_kind not in ASSIGNEE_KINDS:
        raise invalid("assignee_kind", "承办方须为部门（department）、队伍（team）或镇街（township）")
    if not assignee.strip():
        raise invalid("assignee", "请填写承办单位")
    now, who = utcnow(), actor_name(actor)
    task = Task(incident_id=incident.id, region_path=incident.region_path, title=title.strip()[:200],
                detail=detail.strip(), assignee_kind=assignee_kind, assignee=assignee.strip()[:100],
                due_at=_as_utc(due_at, "due_at"), status="open", status_note="", created_at=now, created_by=who,
                updated_at=now, updated_by=who, version=1)
    db.add(task)
    db.flush()
    due = f"，限 {task.due_at.astimezone(LOCAL_TZ):%m-%d %H:%M} 前" if task.due_at else ""
    note(db, incident.id, "task", f"交办任务：{task.title} → {task.assignee}{due}", actor=actor, ref_id=task.id)
    db.flush()
    return task


def update_task(*, db: Session, actor: Actor, task_id: int, status: str, version: int, note_text: str = "") -> Task:
    require(actor, WRITE)
    task = db.scalar(select(Task).where(Task.id == task_id).with_for_update())
    if task is None:
        raise NotFound("任务不存在")
    load_for_writing(db, actor, task.incident_id)
    _check_version(db, task.incident_id, task, version, "任务")
    if status not in TASK_STATUSES:
        raise invalid("status", "状态须为 open、in_progress、done 或 cancelled")
    if task.status in ("done", "cancelled"):
        raise Conflict(f"任务已{TASK_STATUSES[task.status]}，不能再改")
    task.status, task.status_note = status, note_text.strip()[:300]
    task.updated_at, task.updated_by = utcnow(), actor_name(actor)
    task.version += 1
    note(db, task.incident_id, "task", f"任务“{task.title}”（{task.assignee}）：{TASK_STATUSES[status]}"
         + (f"，{task.status_note}" if task.status_note else ""), actor=actor, ref_id=task.id)
    db.flush()
    return task


def issue_sitrep(*, db: Session, actor: Actor, incident_id: int, title: str, body: str) -> Sitrep:
    """A situation report, numbered in sequence per incident and signed by the issuing officer."""
    incident = load_for_writing(db, actor, incident_id, for_update=True)  # serialises numbering
    if not body.strip():
        raise invalid("body", "请填写态势内容")
    number = (db.scalar(select(func.max(Sitrep.number)).where(Sitrep.incident_id == incident.id)) or 0) + 1
    sitrep = Sitrep(incident_id=incident.id, number=number,
                    title=(title.strip() or f"{incident.title} 态势简报")[:200], body=body.strip(),
                    signed_by_id=actor.id, signed_by=actor_name(actor), signed_at=utcnow())
    db.add(sitrep)
    db.flush()
    note(db, incident.id, "sitrep", f"发布第 {number} 期态势简报：{sitrep.title}（签发：{sitrep.signed_by}）",
         actor=actor, ref_id=sitrep.id)
    db.flush()
    return sitrep


# --- reading the workspace --------------------------------------------------------------------------


def timeline(*, db: Session, actor: Actor, incident_id: int, page: PageParams, after_id: int = 0
             ) -> tuple[list[TimelineEntry], int]:
    """One page of entries newest first, and how many there are; ``after_id``: only those added since (what a
    live workspace fetches)."""
    incident = load_for_command(db, actor, incident_id)
    query = select(TimelineEntry).where(TimelineEntry.incident_id == incident.id, TimelineEntry.id > after_id)
    return paginate(db, query.order_by(TimelineEntry.at.desc(), TimelineEntry.id.desc()), page)


def change_token(db: Session, incident_id: int) -> str:
    """Changes whenever anything happens to the incident: every change writes a timeline entry, and the
    record's own version moves with it. The live stream polls this (one indexed look-up)."""
    last = db.scalar(select(func.max(TimelineEntry.id)).where(TimelineEntry.incident_id == incident_id))
    version = db.scalar(select(Incident.version).where(Incident.id == incident_id))
    return f"{last or 0}|{version or 0}"


def workspace(*, db: Session, actor: Actor, incident_id: int) -> dict[str, Any]:
    """Everything the command page shows, each list in one query; the timeline's newest entries (the
    rest through the timeline API) so that a long incident opens as fast as a new one."""
    incident = load_for_command(db, actor, incident_id)
    now = utcnow()

    def rows(model, *order):
        return list(db.scalars(select(model).where(model.incident_id == incident.id).order_by(*order)))

    obligations_ = obligations.incident_obligations(db, incident.id)
    for o in obligations_:
        o.overdue = o.status == "open" and o.due_at.astimezone(UTC) < now  # type: ignore[attr-defined]
    entries = db.scalars(select(TimelineEntry).where(TimelineEntry.incident_id == incident.id)
                         .order_by(TimelineEntry.at.desc(), TimelineEntry.id.desc()).limit(TIMELINE_ON_PAGE))
    state = db.scalar(select(CommandState).where(CommandState.incident_id == incident.id))
    return {
        "incident": incident,
        "command": state,
        "command_version": state.version if state else 1,
        "reports": rows(IncidentReport, IncidentReport.reported_at, IncidentReport.id),
        "casualty_changes": rows(CasualtyChange, CasualtyChange.at, CasualtyChange.id),
        "grade_history": rows(GradeChange, GradeChange.at, GradeChange.id),
        "obligations": obligations_,
        "timeline": list(entries),
        "timeline_total": db.scalar(select(func.count(TimelineEntry.id))
                                    .where(TimelineEntry.incident_id == incident.id)),
        "last_entry_id": db.scalar(select(func.max(TimelineEntry.id))
                                   .where(TimelineEntry.incident_id == incident.id)) or 0,
        "responses": rows(ResponseChange, ResponseChange.at, ResponseChange.id),
        "tasks": rows(Task, Task.status.in_(("done", "cancelled")), Task.due_at, Task.id),
        "sitreps": rows(Sitrep, Sitrep.number.desc()),
        "orders": rows(DispatchOrder, DispatchOrder.number.desc()),
    }
