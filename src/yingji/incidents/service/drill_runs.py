"""Drill runs (情景构建 / 桌面推演): a scenario (``drill_scenarios``) run step by step through the real
services in drill mode, each step taken by a participant with that service's own right:

- readings: drill sensors (``drill=True``) fed through monitoring's ingestion; the alarm rules raise drill
  alarms (marked 【演练】, no real warning draft, no incident proposal, no figure);
- warning: a drill warning drafted and submitted (warnings, ``drill=True``, headed 【演练】);
- sign_warning: signed by another person and published with ``publish_to_audience`` to the scenario's
  test audience only — a drill warning is refused for the public, the public page, the CAP/Atom feed;
- incident: a drill incident (``drill=True``) reported to the duty room; dispatch: the nearest team sent.

Each step starts when the one before finished and finishes when it is taken. Finishing the run releases
its orders, closes its alarms, stops its sensors, and marks the plans' 演练 record held with the step times."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.errors import Conflict, NotFound, invalid
from yingji.core.pagination import PageParams, paginate
from yingji.incidents.drill_models import DrillRun, DrillStep
from yingji.incidents.drill_scenarios import Scenario, scenarios
from yingji.incidents.schemas import IncidentCreate
from yingji.incidents.service.common import actor_name
from yingji.monitoring import service as monitoring_service
from yingji.monitoring.schemas import RuleCreate, SensorCreate, SensorUpdate
from yingji.plans import service as plans_service
from yingji.risk import service as risk_service
from yingji.warnings import service as warnings_service
from yingji.warnings.schemas import WarningCreate

MARK = "【演练】"


def scenario(code: str) -> Scenario:
    found = scenarios().get(code)
    if found is None:
        raise invalid("scenario", f"没有该演练情景：{code}")
    return found


def start(*, db: Session, actor: Actor, scenario_code: str, plan_drill_id: int | None = None) -> DrillRun:
    """Starts a run of a scenario, linked to the plans capability's 演练 record when given (one the actor
    may record); the first step is then waiting."""
    require(actor, "incidents.drill")
    s = scenario(scenario_code)
    if plan_drill_id is not None:
        plans_service.get_drill(db=db, actor=actor, drill_id=plan_drill_id)
        busy = db.scalar(select(DrillRun.id).where(DrillRun.plan_drill_id == plan_drill_id,
                                                   DrillRun.status == "running"))
        if busy is not None:
            raise Conflict(f"该演练记录已有进行中的推演（#{busy}）")
    now = utcnow()
    run = DrillRun(scenario=s.code, title=f"{MARK}{s.title}", plan_drill_id=plan_drill_id, status="running",
                   state={}, started_by=actor.id, started_by_name=actor_name(actor), started_at=now)
    db.add(run)
    db.flush()
    for i, step in enumerate(s.steps):
        db.add(DrillStep(run_id=run.id, position=i, kind=step.kind, name=step.name, status="waiting",
                         started_at=now if i == 0 else None))
    db.flush()
    return run


def get_run(*, db: Session, actor: Actor, run_id: int) -> DrillRun:
    require(actor, "incidents.drill.read")
    run = db.get(DrillRun, run_id)
    if run is None:
        raise NotFound("演练推演不存在")
    return run


def steps(db: Session, run_id: int) -> list[DrillStep]:
    return list(db.scalars(select(DrillStep).where(DrillStep.run_id == run_id).order_by(DrillStep.position)))


def list_runs(*, db: Session, actor: Actor, page: PageParams, plan_drill_id: int | None = None
              ) -> tuple[list[DrillRun], int]:
    require(actor, "incidents.drill.read")
    q = select(DrillRun)
    if plan_drill_id is not None:
        q = q.where(DrillRun.plan_drill_id == plan_drill_id)
    return paginate(db, q.order_by(DrillRun.id.desc()), page)


def take_step(*, db: Session, actor: Actor, run_id: int) -> DrillStep:
    """Takes the waiting step through its service as ``actor`` (that service's right applies: 403)."""
    run = get_run(db=db, actor=actor, run_id=run_id)
    if run.status != "running":
        raise Conflict("该推演已结束")
    all_steps = steps(db, run.id)
    step = next((s for s in all_steps if s.status == "waiting"), None)
    if step is None:
        raise Conflict("各步骤均已完成，请结束推演")
    spec = scenario(run.scenario).steps[step.position]
    state = dict(run.state or {})
    step.outcome = _DO[step.kind](db, actor, run, scenario(run.scenario), spec.spec, state)
    now = utcnow()
    step.status, step.finished_at, step.done_by = "done", now, actor_name(actor)
    run.state = state
    following = next((s for s in all_steps if s.position == step.position + 1), None)
    if following is not None:
        following.started_at = now
    db.flush()
    return step


def finish(*, db: Session, actor: Actor, run_id: int) -> DrillRun:
    """Ends the run: its orders released (the teams back to their status), its alarms closed, its sensors
    stopped, the plans' 演练 record held with the step times. Steps not taken stay so, and show as such."""
    require(actor, "incidents.drill")
    run = get_run(db=db, actor=actor, run_id=run_id)
    if run.status != "running":
        raise Conflict("该推演已结束")
    from yingji.incidents.service.dispatch import advance

    state = dict(run.state or {})
    for order_id in state.get("order_ids", []):
        advance(db=db, actor=actor, order_id=order_id, to="released", note_text="演练结束，解除")
    for code in state.get("sensor_codes", []):
        active, _ = monitoring_service.list_alarms(db=db, actor=actor, page=PageParams(page=1, page_size=100),
                                                   sensor_code=code, active_only=True)
        for alarm in active:
            monitoring_service.close(db=db, actor=actor, alarm_id=alarm.id, note="演练结束")
    for sensor_id in state.get("sensor_ids", []):
        monitoring_service.update_sensor(db=db, actor=actor, sensor_id=sensor_id, data=SensorUpdate(active=False))
    now = utcnow()
    run.status, run.finished_at = "finished", now
    if run.plan_drill_id is not None:
        done = [(s.name, s.finished_at) for s in steps(db, run.id) if s.finished_at is not None]
        from yingji.core.clock import to_local

        plans_service.record_drill_run(db=db, actor=actor, drill_id=run.plan_drill_id,
                                       held_on=to_local(run.started_at).date(),  # type: ignore[union-attr]
                                       steps=done, note=f"情景推演 #{run.id}：{run.title}")
    db.flush()
    return run


# --- the steps --------------------------------------------------------------------------------------


def _place(db: Session, actor: Actor, s: Scenario) -> dict[str, Any]:
    p = s.place
    if p.get("major_hazard"):
        found = risk_service.risks_in_bbox(db=db, bbox=(-180.0, -90.0, 180.0, 90.0))["major_hazards"]
        hit = next((h for h in found if h.name == p["major_hazard"]), None)
        if hit is None:
            raise invalid("scenario", f"情景的重大危险源不存在：{p['major_hazard']}")
        return {"lon": hit.lon, "lat": hit.lat, "enterprise_id": hit.enterprise_id, "region_code": None,
                "address": p.get("address", hit.name)}
    return {"lon": p.get("lon"), "lat": p.get("lat"), "enterprise_id": None, "region_code": p["region_code"],
            "address": p.get("address", "")}


def _readings(db: Session, actor: Actor, run: DrillRun, s: Scenario, spec: dict[str, Any],
              state: dict[str, Any]) -> str:
    place = _place(db, actor, s)
    every = timedelta(minutes=int(spec.get("every_minutes", 5)))
    now = utcnow().replace(microsecond=0)
    codes: dict[str, str] = {}
    sensor_ids, items = [], []
    for raw in spec["sensors"]:
        code = f"DRILL-{run.id}-{raw['code']}"
        sensor = monitoring_service.create_sensor(db=db, actor=actor, data=SensorCreate(
            code=code, name=f"{MARK}{s.title} {raw['code']}", kind=raw["kind"], station=f"{MARK}演练",
            lon=place["lon"] + float(raw.get("dlon", 0)), lat=place["lat"] + float(raw.get("dlat", 0)),
            unit=raw.get("unit"), drill=True, enterprise_id=place["enterprise_id"], region_code=place["region_code"]))
        codes[raw["code"]], sensor_ids = code, [*sensor_ids, sensor.id]
        values = list(raw["values"])
        for k, value in enumerate(values):
            ts = now - every * (len(values) - 1 - k)
            items.append({"sensor": code, "ts": ts.isoformat(), "value": value})
    for rule in spec.get("rules", []):
        monitoring_service.create_rule(db=db, actor=actor, data=RuleCreate(
            code=f"drill-{run.id}-{rule['code']}", name=f"{MARK}{rule['name']}", kind="threshold",
            level=rule["level"], group=f"drill-{run.id}-{rule['sensor']}", sensor_code=codes[rule["sensor"]],
            params={"op": ">=", "value": rule["value"]},
            hold_s=0))
    out = monitoring_service.ingest(db=db, actor=actor, items=items, source="drill")
    alarms = []
    for code in codes.values():
        found, _ = monitoring_service.list_alarms(db=db, actor=actor, page=PageParams(page=1, page_size=50),
                                                  sensor_code=code)
        alarms += [a for a in found if a.drill]
    state.update(sensor_ids=sensor_ids, sensor_codes=list(codes.values()), alarm_ids=[a.id for a in alarms],
                 alarm_level=max((a.level for a in alarms), key=_rank, default=None),
                 alarm_at=min((a.opened_at for a in alarms), default=now).isoformat())
    levels = "、".join(sorted({a.message for a in alarms})) or "无告警"
    return f"{len(sensor_ids)} 个演练传感器，接收读数 {out.accepted} 条；告警 {len(alarms)} 条：{levels}"


def _rank(level: str) -> int:
    return {"blue": 1, "yellow": 2, "orange": 3, "red": 4}.get(level, 0)


def _warning(db: Session, actor: Actor, run: DrillRun, s: Scenario, spec: dict[str, Any],
             state: dict[str, Any]) -> str:
    place = _place(db, actor, s)
    now = utcnow()
    area: dict[str, Any] = ({"regions": [place["region_code"]]} if place["region_code"] else
                            {"circle": {"lon": place["lon"], "lat": place["lat"], "radius_m": 1000}})
    w = warnings_service.create_drill_warning(db=db, actor=actor, data=WarningCreate(
        event_type=spec["event_type"], level=spec["level"], headline=spec["headline"],
        description=spec.get("description", ""), instruction=spec["instruction"], effective=now,
        expires=now + timedelta(hours=float(spec.get("hours", 6))), area=area))
    warnings_service.submit(db=db, actor=actor, warning_id=w.id)
    run.warning_id = w.id
    return f"预警 #{w.id}「{w.headline}」已提交审核"


def _sign_warning(db: Session, actor: Actor, run: DrillRun, s: Scenario, spec: dict[str, Any],
                  state: dict[str, Any]) -> str:
    if run.warning_id is None:
        raise Conflict("本推演尚未起草预警")
    warnings_service.approve(db=db, actor=actor, warning_id=run.warning_id, note="演练签发")
    audience = [warnings_service.AudienceMember(ref=f"drill:{run.id}:{i}", name=m["name"], phone=m["phone"],
                                                village_code=None, kind="cadre")
                for i, m in enumerate(s.audience)]
    # Published even where a channel is not configured: the run goes on, and the receipts (coverage) show
    # who the test audience did not reach — a finding of the drill.
    w = warnings_service.publish_to_audience(db=db, actor=actor, warning_id=run.warning_id, audience=audience,
                                             confirm_unreached=True)
    names = "、".join(m["name"] for m in s.audience)
    return f"预警 {w.identifier} 已签发，仅发给演练接收人 {len(audience)} 人：{names}"


def _incident(db: Session, actor: Actor, run: DrillRun, s: Scenario, spec: dict[str, Any],
              state: dict[str, Any]) -> str:
    place = _place(db, actor, s)
    occurred = datetime.fromisoformat(state["alarm_at"]) if state.get("alarm_at") else run.started_at
    counts = {f: int(spec.get(f, 0)) for f in ("deaths", "missing", "serious_injuries", "trapped")}
    incident = _report(db, actor, IncidentCreate(
        kind=spec["incident_kind"], title=spec.get("title", s.title), occurred_at=occurred,
        lon=place["lon"] if place["region_code"] is None else None,
        lat=place["lat"] if place["region_code"] is None else None,
        region_code=place["region_code"], address=place["address"], source="phone",
        reporter_name=f"{MARK}情景推演 #{run.id}", enterprise_id=place["enterprise_id"],
        description=spec.get("description", ""), drill=True, **counts))
    run.incident_id = incident.id
    return f"演练事件 #{incident.id}「{incident.title}」已登记（{incident.grade_label or '未定级'}）"


def _report(db: Session, actor: Actor, data: IncidentCreate) -> Any:
    from yingji.incidents.service.incidents import report_incident

    return report_incident(db=db, actor=actor, data=data)


def _dispatch(db: Session, actor: Actor, run: DrillRun, s: Scenario, spec: dict[str, Any],
              state: dict[str, Any]) -> str:
    from yingji.incidents.service.dispatch import dispatch_team, team_candidates

    if run.incident_id is None:
        raise Conflict("本推演尚未登记事件")
    offered = team_candidates(db=db, actor=actor, incident_id=run.incident_id, k=1)
    if not offered:
        raise Conflict("附近没有可调派的救援队伍")
    team = offered[0]
    order, _token = dispatch_team(db=db, actor=actor, incident_id=run.incident_id, team_id=team["id"],
                                  instructions=str(spec.get("instructions", "")))
    state.update(order_ids=[*state.get("order_ids", []), order.id], travel_time_s=team.get("travel_time_s"))
    minutes = f"，预计车程 {round(team['travel_time_s'] / 60)} 分钟" if team.get("travel_time_s") else ""
    return f"第 {order.number} 号调度指令：{team['name']}{minutes}"


_DO = {"readings": _readings, "warning": _warning, "sign_warning": _sign_warning, "incident": _incident,
       "dispatch": _dispatch}

