"""Rules are data: staff create and edit them; every change bumps the version and keeps a snapshot, and an
alarm records the rule version that raised it. Built-in packs install the standard rules."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.errors import Conflict, ErrorDetail, NotFound, ValidationFailed, invalid
from yingji.geo import service as geo_service
from yingji.monitoring.enums import LEVEL_RANK, RuleKind
from yingji.monitoring.models import Rule, RuleVersion, Sensor
from yingji.monitoring.schemas import MAX_WINDOW_S, RuleCreate, RuleUpdate
from yingji.monitoring.standards import rule_packs


def _number(params: dict[str, Any], key: str, *, positive: bool = False) -> float:
    value = params.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid(f"params.{key}", "须为数字")
    if positive and value <= 0:
        raise invalid(f"params.{key}", "须大于 0")
    return float(value)


def check_params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters a rule kind needs, checked; unknown keys are refused so typos do not pass silently."""
    allowed = {
        RuleKind.threshold: {"op", "value"},
        RuleKind.rate: {"per_hour", "direction"},
        RuleKind.accumulation: {"window_s", "value"},
        RuleKind.no_data: {"intervals"},
        RuleKind.combination: {"min_sensors", "min_level"},
    }[RuleKind(kind)]
    extra = sorted(set(params) - allowed)
    if extra:
        raise ValidationFailed(
            "规则参数不认识：" + "、".join(extra),
            details=[ErrorDetail(f"params.{k}", "不是该类规则的参数") for k in extra],
        )
    if kind == RuleKind.threshold:
        _number(params, "value")
        if params.get("op", ">=") not in (">=", "<="):
            raise invalid("params.op", "只能是 >= 或 <=")
    elif kind == RuleKind.rate:
        _number(params, "per_hour", positive=True)
        if params.get("direction", "rise") not in ("rise", "fall", "any"):
            raise invalid("params.direction", "只能是 rise、fall 或 any")
    elif kind == RuleKind.accumulation:
        window = _number(params, "window_s", positive=True)
        if window > MAX_WINDOW_S or window != int(window):
            raise invalid("params.window_s", f"须为不超过 {MAX_WINDOW_S} 的整秒数")
        _number(params, "value", positive=True)
    elif kind == RuleKind.no_data:
        if _number(params, "intervals", positive=True) != int(params["intervals"]):
            raise invalid("params.intervals", "须为正整数")
    else:
        if _number(params, "min_sensors", positive=True) != int(params["min_sensors"]):
            raise invalid("params.min_sensors", "须为正整数")
        level = params.get("min_level", "blue")
        if not isinstance(level, str) or level not in LEVEL_RANK:  # a list or object is not a level either
            raise invalid("params.min_level", "须为 red、orange、yellow 或 blue")
    return params


def _snapshot(rule: Rule) -> dict[str, Any]:
    keys = (
        "code",
        "name",
        "kind",
        "group",
        "level",
        "sensor_kind",
        "sensor_id",
        "region_path",
        "params",
        "hold_s",
        "escalate_after_s",
        "enabled",
    )
    return {k: getattr(rule, k) for k in keys}


def _version(db: Session, rule: Rule, actor: Actor) -> None:
    db.add(
        RuleVersion(
            rule_id=rule.id, version=rule.version, snapshot=_snapshot(rule), changed_by=actor.id, changed_at=utcnow()
        )
    )


def create_rule(*, db: Session, actor: Actor, data: RuleCreate, pack: str | None = None, source: str = "") -> Rule:
    require(actor, "monitoring.rules.write")
    if db.scalar(select(Rule.id).where(Rule.code == data.code)) is not None:
        raise Conflict(f"规则编码 {data.code} 已存在", details=[ErrorDetail("code", "已存在")])
    params = check_params(data.kind, dict(data.params))
    sensor_id = region_path = None
    if data.sensor_code:
        sensor_id = db.scalar(select(Sensor.id).where(Sensor.code == data.sensor_code))
        if sensor_id is None:
            raise invalid("sensor_code", f"传感器 {data.sensor_code} 不存在")
    if data.region_code:
        try:
            region_path = geo_service.region_info(db=db, code=data.region_code).path
        except NotFound:
            raise invalid("region_code", f"区域 {data.region_code} 不存在") from None
    if data.kind == RuleKind.combination and not (region_path and data.sensor_kind):
        raise invalid("region_code", "区域多站组合规则须指定区域和传感器类型")
    now = utcnow()
    rule = Rule(
        code=data.code,
        name=data.name,
        kind=data.kind,
        group=data.group or data.code,
        level=data.level,
        sensor_kind=data.sensor_kind,
        sensor_id=sensor_id,
        region_path=region_path,
        params=params,
        hold_s=data.hold_s,
        escalate_after_s=data.escalate_after_s,
        pack=pack,
        source=source,
        enabled=data.enabled,
        version=1,
        updated_by=actor.id,
        created_at=now,
        updated_at=now,
    )
    db.add(rule)
    db.flush()
    _version(db, rule, actor)
    db.flush()
    return rule


def get_rule(*, db: Session, actor: Actor, rule_id: int) -> Rule:
    require(actor, "monitoring.read")
    rule = db.get(Rule, rule_id)
    if rule is None:
        raise NotFound("规则不存在")
    return rule


def list_rules(*, db: Session, actor: Actor, kind: str | None = None, sensor_kind: str | None = None) -> list[Rule]:
    require(actor, "monitoring.read")
    q = select(Rule).order_by(Rule.group, Rule.id)
    if kind:
        q = q.where(Rule.kind == kind)
    if sensor_kind:
        q = q.where(Rule.sensor_kind == sensor_kind)
    return list(db.scalars(q))


def update_rule(*, db: Session, actor: Actor, rule_id: int, data: RuleUpdate) -> Rule:
    rule = get_rule(db=db, actor=actor, rule_id=rule_id)
    require(actor, "monitoring.rules.write")
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if "params" in changes:
        changes["params"] = check_params(rule.kind, dict(changes["params"]))
    if not changes:
        return rule
    for key, value in changes.items():
        setattr(rule, key, value)
    rule.version += 1
    rule.updated_by, rule.updated_at = actor.id, utcnow()
    db.flush()
    _version(db, rule, actor)
    db.flush()
    return rule


def rule_versions(*, db: Session, actor: Actor, rule_id: int) -> list[RuleVersion]:
    rule = get_rule(db=db, actor=actor, rule_id=rule_id)
    return list(db.scalars(select(RuleVersion).where(RuleVersion.rule_id == rule.id).order_by(RuleVersion.version)))


def install_pack(*, db: Session, actor: Actor, pack: str) -> list[Rule]:
    """Installs a built-in pack; rules already present (by code) are left as staff edited them."""
    require(actor, "monitoring.rules.write")
    packs = rule_packs()
    if pack not in packs:
        raise invalid("pack", f"没有名为 {pack} 的规则包，可选：{'、'.join(packs)}")
    made = []
    for spec in packs[pack]["rules"]:
        if db.scalar(select(Rule.id).where(Rule.code == spec["code"])) is not None:
            continue
        fields = {k: v for k, v in spec.items() if k != "source"}
        made.append(
            create_rule(db=db, actor=actor, data=RuleCreate(**fields), pack=pack, source=spec.get("source", ""))
        )
    return made


def thresholds_for(*, db: Session, sensor: Sensor) -> list[dict[str, Any]]:
    """Threshold lines for a sensor's chart: the enabled threshold rules that apply to it."""
    from yingji.monitoring.service.engine import applies

    rules = db.scalars(select(Rule).where(Rule.enabled.is_(True), Rule.kind == RuleKind.threshold))
    return [{"name": r.name, "value": r.params["value"], "level": r.level} for r in rules if applies(r, sensor)]
