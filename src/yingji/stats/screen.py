"""What the duty-room wall (大屏) shows, read through the capabilities' services with the reader's own rights.

``snapshot`` gathers every panel as plain JSON: open alarms, the warnings in force with their coverage, the
upstream (weather) warnings, the open incidents with their response level, the dispatch orders under way,
today's duty and this year's indicators. A panel the reader may not read says so (``denied``) instead of
failing the page. Lists are capped (``LIMIT``) with the full count beside them, so the page's DOM stays
bounded however much happens. Drill incidents and their orders are kept, flagged ``drill``: the page shows
them marked 演练, never as real; the indicators never count them.

``token`` is the digest of the snapshot: the server-sent events stream sends the snapshot whenever it changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from yingji.core.actor import Actor
from yingji.core.clock import LOCAL_TZ, utcnow
from yingji.core.errors import DomainError, PermissionDenied
from yingji.core.pagination import PageParams
from yingji.incidents import service as incidents_service
from yingji.monitoring import service as monitoring_service
from yingji.stats import indicators, reports
from yingji.warnings import service as warnings_service

LIMIT = 12  # rows per list on the wall; the count beside the title says how many there are in all
ALARM_LEVELS = {"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色"}
RESPONSE_LEVELS = {"I": "Ⅰ级响应", "II": "Ⅱ级响应", "III": "Ⅲ级响应", "IV": "Ⅳ级响应"}
INPUT_LABELS = {"gdp_yuan": "地区生产总值", "population": "常住人口", "vehicles": "机动车保有量"}
ORDER_KINDS = {"team": "队伍", "material": "物资", "shelter": "避难场所"}


def _when(value: datetime | None) -> str:
    return value.astimezone(LOCAL_TZ).strftime("%m-%d %H:%M") if value else ""


def _panel(read: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return read()
    except PermissionDenied:
        return {"denied": True, "items": [], "total": 0}


def alarms(db: Session, actor: Actor) -> dict[str, Any]:
    rows, total = monitoring_service.list_alarms(db=db, actor=actor, page=PageParams(page=1, page_size=LIMIT),
                                                 active_only=True)
    return {"total": total, "items": [
        {"id": a.id, "level": a.level, "level_label": ALARM_LEVELS.get(a.level, a.level), "name": a.rule_name,
         "message": a.message, "state": a.state, "at": _when(a.opened_at), "url": f"/monitoring/alarms/{a.id}"}
        for a in rows]}


def _in_force(db: Session, actor: Actor, now: datetime) -> list[Any]:
    out, page = [], 1
    while page <= 4:  # the newest 400 published messages are more than any district has in force
        rows, total = warnings_service.list_warnings(db=db, actor=actor, page=PageParams(page=page, page_size=100),
                                                     status="published")
        out += [w for w in rows if w.expires.astimezone(UTC) > now and w.msg_type != "Cancel"]
        if page * 100 >= total:
            break
        page += 1
    return out


def warnings(db: Session, actor: Actor, now: datetime) -> tuple[dict[str, Any], dict[str, Any]]:
    """The district's warnings in force (with coverage: reached of targeted) and the upstream ones."""
    in_force = _in_force(db, actor, now)

    def item(w: Any, coverage: bool) -> dict[str, Any]:
        row = {"id": w.id, "level": w.level, "level_label": ALARM_LEVELS.get(w.level, w.level),
               "headline": w.headline, "event": w.event_type,
               "expires": _when(w.expires), "sender": w.upstream_sender or w.sender, "url": f"/warnings/{w.id}"}
        if coverage:
            try:
                c = warnings_service.warning_coverage(db=db, actor=actor, warning_id=w.id)
                row.update(targeted=c["targeted"], reached=c["reached"], percent=c["percent"])
            except DomainError:
                row.update(targeted=None, reached=None, percent=None)
        return row

    local = [w for w in in_force if w.origin != "upstream"]
    upstream = [w for w in in_force if w.origin == "upstream"]
    return ({"total": len(local), "items": [item(w, True) for w in local[:LIMIT]]},
            {"total": len(upstream), "items": [item(w, False) for w in upstream[:LIMIT]]})


def incidents(db: Session, actor: Actor) -> dict[str, Any]:
    kinds = {k.code: k.label for k in incidents_service.kinds()}
    rows, total = incidents_service.open_board(db=db, actor=actor, limit=LIMIT)
    return {"total": total, "items": [
        {"id": i["id"], "title": i["title"], "kind": kinds.get(i["kind"], i["kind"]), "drill": i["drill"],
         "grade": i["grade_label"] or i["grade"], "response": RESPONSE_LEVELS.get(i["response_level"], ""),
         "response_level": i["response_level"], "deaths": i["deaths"], "missing": i["missing"],
         "at": _when(i["occurred_at"]), "url": f"/incidents/{i['id']}"} for i in rows]}


def orders(db: Session, actor: Actor) -> dict[str, Any]:
    rows, total = incidents_service.orders_under_way(db=db, actor=actor, limit=LIMIT)
    return {"total": total, "items": [
        {"id": o["id"], "receiver": o["receiver"], "kind": ORDER_KINDS.get(o["kind"], o["kind"]),
         "status": o["status_label"], "incident": o["incident_title"], "drill": o["drill"], "since": _when(o["since"]),
         "url": f"/incidents/{o['incident_id']}/command"} for o in rows]}


def duty(db: Session, actor: Actor, now: datetime) -> dict[str, Any]:
    if not actor.can("incidents.duty.read"):
        raise PermissionDenied("没有查看值班表的权限")
    shift = incidents_service.on_duty_now(db, now=now)

    def people(rows: list[Any]) -> list[dict[str, str]]:
        return [{"name": a.name, "phone": a.phone} for a in rows[:LIMIT]]

    return {"day": shift.day.isoformat(), "leaders": people(shift.leaders), "officers": people(shift.officers),
            "townships": len(shift.townships), "total": len(shift.leaders) + len(shift.officers), "items": []}


def year_figures(db: Session, actor: Actor, year: int) -> indicators.YearFigures:
    """This year's figures from the records (drills excluded); the yearly inputs the platform does not own
    (GDP, population, vehicles) are missing here, so the indicators needing them show as missing."""
    rs = reports.records(db, actor, date(year, 1, 1), date(year + 1, 1, 1))
    safety = [r for r in rs if r.work_safety]
    disasters = [r for r in rs if r.disaster]
    return indicators.YearFigures(
        year=year,
        work_safety_deaths=sum(r.deaths for r in safety),
        major_accidents=sum(r.major for r in safety),
        road_traffic_deaths=sum(r.deaths for r in safety if r.kind == "road_traffic"),
        disaster_loss_yuan=sum((r.loss_yuan for r in disasters), Decimal(0)),
        disaster_deaths=sum(r.deaths for r in disasters),
        affected_person_times=sum(r.affected for r in disasters),
    )


def _missing(names: list[str]) -> str:
    out = []
    for n in names:
        for key, label in INPUT_LABELS.items():
            n = n.replace(key, label)
        out.append(n)
    return ("缺" + "、".join(out)) if out else ""


def current_indicators(db: Session, actor: Actor, year: int) -> dict[str, Any]:
    """The 专栏1 indicators of ``year`` so far. The one place the wall gets its indicators: when the
    indicators service (with the yearly inputs) lands, this function reads it instead."""
    if not actor.can("incidents.read"):
        raise PermissionDenied("没有查看事件的权限")
    figures = year_figures(db, actor, year)
    items = []
    for code, d in indicators.definitions().items():
        v = indicators.compute(code, [figures])
        value = indicators.rounded(v.value, 4)
        items.append({"code": code, "label": d.label, "unit": d.unit,
                      "value": None if value is None else format(value.normalize(), "f"),
                      "target": None if d.target is None else format(d.target.normalize(), "f"),
                      "met": v.met, "missing": _missing(v.missing)})
    return {"year": year, "items": items, "total": len(items)}


def snapshot(db: Session, actor: Actor, *, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    out: dict[str, Any] = {"as_of": now.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S")}
    out["alarms"] = _panel(lambda: alarms(db, actor))
    try:
        out["warnings"], out["upstream"] = warnings(db, actor, now)
    except PermissionDenied:
        out["warnings"] = out["upstream"] = {"denied": True, "items": [], "total": 0}
    out["incidents"] = _panel(lambda: incidents(db, actor))
    out["orders"] = _panel(lambda: orders(db, actor))
    out["duty"] = _panel(lambda: duty(db, actor, now))
    out["indicators"] = _panel(lambda: current_indicators(db, actor, now.astimezone(LOCAL_TZ).year))
    return out


def token(data: dict[str, Any]) -> str:
    """A digest of what the wall shows (the time of the snapshot left out)."""
    body = json.dumps({k: v for k, v in data.items() if k != "as_of"}, sort_keys=True, ensure_ascii=False,
                      default=str)
    return hashlib.sha256(body.encode()).hexdigest()[:32]
