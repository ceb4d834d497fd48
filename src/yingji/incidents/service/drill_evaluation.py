"""The evaluation of a drill run: per step when it started and finished, the minutes it took, and — where the
scenario sets one — the minutes from its reference step (``from``) against the target, 达标 or 超时 by how
much; a dispatch also the team's estimated arrival (order time + driving time) against its target. As a page
and as a .docx (``core.documents``), titled 【演练】."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from yingji.core import documents
from yingji.core.actor import Actor
from yingji.core.clock import to_local
from yingji.geo import service as geo_service
from yingji.incidents.drill_models import DrillRun
from yingji.incidents.drill_scenarios import LABELS, scenarios
from yingji.incidents.service.drill_runs import get_run, steps


@dataclass(frozen=True)
class StepRow:
    position: int
    kind: str
    name: str
    started_at: datetime | None
    finished_at: datetime | None
    took_minutes: float | None  # finished − started
    since: str  # the reference: "推演开始" or a step's name
    elapsed_minutes: float | None  # finished − the reference's finish
    target_minutes: float | None
    basis: str
    verdict: str  # 达标 / 超时 N 分钟 / 未完成 / 无目标
    done_by: str
    outcome: str


def _minutes(a: datetime | None, b: datetime | None) -> float | None:
    if a is None or b is None:
        return None
    return round((b - a).total_seconds() / 60, 1)


def _verdict(elapsed: float | None, target: float | None, done: bool) -> str:
    if not done:
        return "未完成"
    if target is None:
        return "无目标"
    if elapsed is not None and elapsed <= target:
        return "达标"
    return f"超时 {math.ceil((elapsed or 0) - target)} 分钟"


def evaluate(*, db: Session, actor: Actor, run_id: int) -> tuple[DrillRun, list[StepRow]]:
    run = get_run(db=db, actor=actor, run_id=run_id)
    scenario = scenarios().get(run.scenario)
    rows: list[StepRow] = []
    finished: dict[str, tuple[str, datetime | None]] = {"start": ("推演开始", run.started_at)}
    for s in steps(db, run.id):
        spec = scenario.steps[s.position] if scenario and s.position < len(scenario.steps) else None
        target = spec.target_minutes if spec else None
        since_label, since_at = finished.get(spec.since if spec else "start", finished["start"])
        elapsed = _minutes(since_at, s.finished_at)
        rows.append(StepRow(s.position, s.kind, s.name, s.started_at, s.finished_at,
                            _minutes(s.started_at, s.finished_at), since_label, elapsed, target,
                            spec.basis if spec else "", _verdict(elapsed, target, s.finished_at is not None),
                            s.done_by, s.outcome))
        finished.setdefault(s.kind, (s.name, s.finished_at))
        if s.kind == "dispatch" and spec and spec.spec.get("arrival_minutes"):
            rows.append(_arrival(run, s.finished_at, spec.spec["arrival_minutes"], finished, spec.since))
    return run, rows


def _arrival(run: DrillRun, ordered_at: datetime | None, target: float,
             finished: dict[str, tuple[str, datetime | None]], since: str) -> StepRow:
    travel = (run.state or {}).get("travel_time_s")
    arrives = ordered_at + timedelta(seconds=travel) if ordered_at and travel is not None else None
    since_label, since_at = finished.get(since, finished["start"])
    elapsed = _minutes(since_at, arrives)
    return StepRow(99, "arrival", "队伍预计到场（调度时间 + 车程）", ordered_at, arrives, _minutes(ordered_at, arrives),
                   since_label, elapsed, float(target), "预计车程按路网计算", _verdict(elapsed, float(target),
                                                                                   arrives is not None), "", "")


def _t(value: datetime | None) -> str:
    local = to_local(value)
    return f"{local:%Y-%m-%d %H:%M:%S}" if local else "—"


def _n(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


HEADER = ("步骤", "开始", "完成", "用时（分钟）", "起算", "累计（分钟）", "目标（分钟）", "结论", "依据")


def table_rows(rows: list[StepRow]) -> list[tuple[str, ...]]:
    return [(r.name, _t(r.started_at), _t(r.finished_at), _n(r.took_minutes), r.since, _n(r.elapsed_minutes),
             _n(r.target_minutes), r.verdict, r.basis) for r in rows]


def evaluation_docx(*, db: Session, actor: Actor, run_id: int) -> bytes:
    run, rows = evaluate(db=db, actor=actor, run_id=run_id)
    district = geo_service.root(db=db)
    doc = documents.docx_document(issuer=f"{district.name if district else ''}应急管理局",
                                  title=f"{run.title} 推演评估", number=f"演练推演 #{run.id}")
    scenario = scenarios().get(run.scenario)
    documents.add_field_table(doc, [
        ("性质", "【演练】情景构建 / 桌面推演，非真实事件"), ("情景", scenario.summary if scenario else run.scenario),
        ("开始", _t(run.started_at)), ("结束", _t(run.finished_at)), ("发起人", run.started_by_name),
        ("状态", "已结束" if run.status == "finished" else "进行中"),
    ])
    documents.add_table(doc, HEADER, table_rows(rows))
    documents.add_table(doc, ("步骤", "类型", "执行人", "结果"),
                        [(r.name, LABELS.get(r.kind, "到场"), r.done_by, r.outcome)
                         for r in rows if r.kind != "arrival"])
    late = [r for r in rows if r.verdict.startswith("超时") or r.verdict == "未完成"]
    documents.add_signature(doc, f"达标 {sum(1 for r in rows if r.verdict == '达标')} 项，"
                                 f"超时或未完成 {len(late)} 项", "【演练】")
    return documents.docx_bytes(doc)
