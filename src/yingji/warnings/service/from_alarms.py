"""A warning draft from monitoring alarms, in the words the public reads: the signal's public headline
("柳江区应急管理局发布暴雨橙色预警"), what was observed where and when (Beijing time), the 防御指南 of the type
and level, and every township or village of the alarms of the same event as the area. Internal codes
(sensors, rules, alarms) and the word 告警 never reach the text. The author edits the draft; it then goes
through sign-off like any other.

Warnings owns the warning types: which type a kind of sensor suggests is decided here, from the facts that
monitoring's service exposes."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from yingji.core.actor import Actor, require
from yingji.core.clock import to_local, utcnow
from yingji.core.errors import invalid
from yingji.monitoring import service as monitoring_service
from yingji.monitoring.service import AlarmFacts
from yingji.warnings.models import WarningMessage
from yingji.warnings.schemas import WarningCreate
from yingji.warnings.settings import sender_name
from yingji.warnings.standards import event_types, guidance

# Which warning type (codes of data/event_types.csv) an alarm of a kind of sensor suggests.
EVENT_TYPE_BY_SENSOR_KIND: dict[str, str] = {
    "rain_gauge": "rainstorm",
    "water_level": "flood",
    "soil_moisture": "geological",
    "displacement": "geological",
    "crack": "geological",
    "tank_level": "chemical_leak",
    "tank_temperature": "chemical_leak",
    "tank_pressure": "chemical_leak",
    "gas": "chemical_leak",
    "toxic_gas": "chemical_leak",
    "waterlogging": "waterlogging",
    "fire_hotspot": "forest_fire",
}
COLOURS = {"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色"}
RANK = {"blue": 1, "yellow": 2, "orange": 3, "red": 4}
UNITS = {"mm": "毫米", "m": "米", "cm": "厘米", "MPa": "兆帕", "με": "微应变", "次": "次"}
DRAFT_VALIDITY = timedelta(hours=12)


@dataclass(frozen=True)
class DraftText:
    event_type: str
    level: str
    headline: str
    description: str
    instruction: str
    instruction_source: str
    region_codes: list[str]
    alarm_count: int


def _when(value: datetime) -> str:
    t = to_local(value)
    return f"{t.month}月{t.day}日{t.hour}时{t.minute:02d}分" if t.minute else f"{t.month}月{t.day}日{t.hour}时"


def _span(facts: list[AlarmFacts]) -> str:
    start, end = min(f.first_ts for f in facts), max(f.last_ts for f in facts)
    if end - start < timedelta(minutes=1):
        return f"{_when(start)}（北京时间）"
    a, b = to_local(start), to_local(end)
    end_text = _when(end) if (a.month, a.day) != (b.month, b.day) else _when(end).split("日", 1)[1]
    return f"{_when(start)}至{end_text}（北京时间）"


def _places(facts: list[AlarmFacts]) -> str:
    """ "拉堡镇柳东社区、鹏飞社区和进德镇塘头村": villages under their township, in order of appearance."""
    by_township: OrderedDict[str, list[str]] = OrderedDict()
    for f in facts:
        villages = by_township.setdefault(f.township_name, [])
        if f.village_name and f.village_name not in villages:
            villages.append(f.village_name)
    parts = [t + "、".join(v) for t, v in by_township.items() if t or v]
    return "和".join(parts) if len(parts) <= 2 else "、".join(parts[:-1]) + "和" + parts[-1]


def _amount(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{abs(value):g}{UNITS.get(unit, unit)}"


def _observed(event_type: str, level: str, facts: list[AlarmFacts]) -> str:
    measured = [f for f in facts if f.peak_value is not None]
    peak = max(measured, key=lambda f: abs(f.peak_value or 0.0)) if measured else None
    at = f"（{peak.station or peak.village_name or peak.township_name}）" if peak else ""
    when, where = _span(facts), _places(facts)
    colour = COLOURS[level]
    if event_type == "rainstorm":
        amount = ""
        if peak is not None:
            window = f"{peak.window_h:g}小时" if peak.window_h else ""
            amount = f"，{window}累计雨量最大{_amount(peak.peak_value, peak.unit)}{at}"
        stations = max((f.sensors for f in facts), default=1)
        many = f"，{stations}个雨量站达到暴雨预警标准" if stations > 1 else ""
        return f"{when}，{where}出现强降雨{amount}{many}，已达暴雨{colour}预警信号标准，降雨可能持续。"
    if peak is None:
        return f"{when}，{where}监测到异常，请注意防范。"
    value = _amount(peak.peak_value, peak.unit)
    if event_type == "flood":
        return f"{when}，{where}河道水位上涨，最高水位{value}{at}，已超过预警水位。"
    if event_type == "waterlogging":
        return f"{when}，{where}部分低洼路段出现积水，最大积水深度{value}{at}。"
    if event_type == "geological":
        if peak.rule_kind == "rate":
            return (
                f"{when}，{where}地质灾害隐患点监测到地表变形明显加快，最大变化速率每小时{value}{at}，"
                "存在发生滑坡、崩塌的危险。"
            )
        return f"{when}，{where}地质灾害隐患点{peak.sensor_label}达到{value}{at}，存在发生地质灾害的危险。"
    if event_type == "chemical_leak":
        site = peak.station or "有关企业"
        return f"{when}，位于{where}的{site}监测到{peak.sensor_label}异常（{value}），存在危险化学品泄漏风险。"
    if event_type == "forest_fire":
        return f"{when}，{where}监测到森林火情{at}，请注意防范。"
    return f"{when}，{where}{peak.sensor_label}监测值达到{value}{at}，请注意防范。"


def compose(*, db: Session, facts: list[AlarmFacts]) -> DraftText:
    """The public words of a warning from the facts of an event's alarms (the most severe sets the level)."""
    if not facts:
        raise invalid("alarm_ids", "至少需要一条告警")
    if all(f.rule_kind == "no_data" for f in facts):
        raise invalid("alarm_ids", "数据中断是设备故障，不能据此生成公众预警，请先排查设备")
    facts = [f for f in facts if f.rule_kind != "no_data"]
    level = max((f.level for f in facts), key=lambda lvl: RANK[lvl])
    kinds = [f.sensor_kind for f in facts if f.sensor_kind]
    event_type = EVENT_TYPE_BY_SENSOR_KIND.get(kinds[0], "other") if kinds else "other"
    label = event_types()[event_type].label if event_type != "other" else "突发事件"
    advice = guidance(event_type, level)
    regions: list[str] = []
    for f in facts:  # the villages of the event; a township when an area alarm names no village
        code = f.village_code or f.township_code
        if code and code not in regions:
            regions.append(code)
    whole = {f.township_code for f in facts if f.village_code is None and f.township_code}
    regions = [
        c for c in regions if c in whole or not any(f.village_code == c and f.township_code in whole for f in facts)
    ]
    return DraftText(
        event_type=event_type,
        level=level,
        headline=f"{sender_name(db)}发布{label}{COLOURS[level]}预警",
        description=_observed(event_type, level, facts),
        instruction=advice.text,
        instruction_source=advice.source,
        region_codes=regions,
        alarm_count=len(facts),
    )


def compose_from_alarms(*, db: Session, actor: Actor, alarm_ids: list[int]) -> DraftText:
    """What a draft from these alarms (and the rest of their events) would say, for the drafting form."""
    require(actor, "warnings.write")
    return compose(db=db, facts=monitoring_service.alarm_facts(db=db, actor=actor, alarm_ids=alarm_ids))


def draft_from_alarms(*, db: Session, actor: Actor, alarm_ids: list[int]) -> WarningMessage:
    """A local draft from alarms: the public text composed above, valid 12 hours from now, its area the
    event's villages. Scope applies (an alarm outside the actor's area is 404, an area outside it 403)."""
    from yingji.warnings.service.authoring import create_warning

    text = compose_from_alarms(db=db, actor=actor, alarm_ids=alarm_ids)
    now = utcnow().replace(microsecond=0)
    data = WarningCreate(
        event_type=text.event_type,
        level=text.level,
        headline=text.headline,
        description=text.description,
        instruction=text.instruction,
        effective=now,
        expires=now + DRAFT_VALIDITY,
        area={"regions": text.region_codes},
    )
    w = create_warning(db=db, actor=actor, data=data)
    # For the people who sign it (never public): where the draft came from and what to check.
    counts = f"{text.alarm_count} 条告警、{len(text.region_codes)} 个区域"
    w.review_note = f"据监测告警生成的草稿（{counts}），签发前请核对内容、区域和防御指南"
    db.flush()
    return w
