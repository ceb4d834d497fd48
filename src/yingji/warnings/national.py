"""The national early-warning release format (国家突发事件预警信息发布系统 / 12379, GB/T 35965.1-2018).

CAP-derived but not CAP 1.2. Mapping to and from ``AlertData`` (one table, see docs/warnings.md):

| national element                 | CAP 1.2 / AlertData                                   |
|----------------------------------|-------------------------------------------------------|
| alert (no namespace)             | alert in urn:oasis:names:tc:emergency:cap:1.2         |
| identifier `senderCode_YYYYMMDDhhmmss[_N]` | identifier (kept as is)                     |
| sender (a name) + senderCode     | sender = senderCode; senderName = sender              |
| sendTime `YYYY-MM-DD hh:mm:ss+08:00` | sent `YYYY-MM-DDThh:mm:ss+08:00`                  |
| msgType Alert/Update/Cancel      | msgType                                               |
| references (bare identifier)     | `senderCode,identifier,sent` (referenced time not carried: ours) |
| code/method/methodName           | methods (SMS, WEB, LED, SPEAKER …)                   |
| info/eventType (GB/T 35561 code) | event_type via event_types.csv; category and event   |
| info/severity Red/Orange/Yellow/Blue | level; CAP severity per standards.LEVELS          |
| urgency, certainty (Unknown)     | CAP urgency/certainty from the level table           |
| area/geocode `code,code`         | geocode valueName "GB/T 2260" per code                |
| area/polygon, circle (may be empty) | polygon, circle                                    |
"""

from __future__ import annotations

import re

from lxml import etree

from yingji.warnings.alert import AlertData, Reference
from yingji.warnings.enums import Level
from yingji.warnings.standards import (
    LEVELS,
    event_type_by_gbt,
    event_type_by_label,
    event_types,
    level_from,
    national_time,
    parse_cap_circle,
    parse_cap_polygon,
    parse_time,
)

METHODS = ("SMS", "WEB", "SPEAKER", "LED")
NATIONAL_ID = re.compile(r"^\d{14}_\d{14}(_\d+)?$")


def _t(el: etree._Element | None, tag: str) -> str:
    found = el.find(tag) if el is not None else None
    return (found.text or "").strip() if found is not None else ""


def is_national(root: etree._Element) -> bool:
    return root.tag == "alert" and root.find("senderCode") is not None


def validate(root: etree._Element) -> list[str]:
    reasons = []
    for tag in ("identifier", "sender", "senderCode", "sendTime", "status", "msgType", "scope"):
        if not _t(root, tag):
            reasons.append(f"缺少 {tag}")
    if _t(root, "sendTime"):
        try:
            parse_time(_t(root, "sendTime"))
        except ValueError as exc:
            reasons.append(f"sendTime：{exc}")
    if _t(root, "msgType") not in ("Alert", "Update", "Cancel"):
        reasons.append(f"msgType 须为 Alert/Update/Cancel：{_t(root, 'msgType')}")
    if _t(root, "msgType") in ("Update", "Cancel") and not _t(root, "references"):
        reasons.append("Update/Cancel 须有 references")
    info = root.find("info")
    if info is None and _t(root, "msgType") != "Cancel":
        reasons.append("缺少 info")
    if info is not None:
        if level_from(national=_t(info, "severity")) is None:
            reasons.append(f"severity 须为 Red/Orange/Yellow/Blue：{_t(info, 'severity')}")
        if not _t(info, "eventType"):
            reasons.append("缺少 eventType（GB/T 35561 事件代码）")
        for area in info.findall("area"):
            for code in filter(None, _t(area, "geocode").split(",")):
                if not re.fullmatch(r"\d{12}", code.strip()):
                    reasons.append(f"geocode 须为 12 位行政区划代码：{code}")
            if _t(area, "polygon"):
                try:
                    parse_cap_polygon(_t(area, "polygon"))
                except ValueError as exc:
                    reasons.append(f"polygon：{exc}")
    return reasons


def from_national(root: etree._Element) -> AlertData:
    info = root.find("info")
    sender_code = _t(root, "senderCode")
    sent = parse_time(_t(root, "sendTime"))
    refs = [Reference(sender_code, r, national_time(sent).replace(" ", "T")) for r in _t(root, "references").split()]
    methods = [_t(m, "methodName") for m in root.findall("code/method") if _t(m, "methodName")]
    a = AlertData(
        identifier=_t(root, "identifier"),
        sender=sender_code,
        sender_code=sender_code,
        sent=sent,
        msg_type=_t(root, "msgType"),
        status=_t(root, "status") or "Actual",
        scope=_t(root, "scope") or "Public",
        references=refs,
        note=_t(root, "note"),
        has_info=info is not None,
        methods=methods,
    )
    a.sender_name = _t(root, "sender")
    if info is None:
        return a
    et = event_type_by_gbt(_t(info, "eventType")) or event_type_by_label(_t(info, "headline"))
    a.event_type = et.code if et else "other"
    a.event = et.label if et else _t(info, "eventType")
    a.category = et.cap_category if et else "Other"
    a.level = level_from(national=_t(info, "severity")) or Level.blue
    a.headline, a.description, a.instruction = _t(info, "headline"), _t(info, "description"), _t(info, "instruction")
    a.effective = parse_time(_t(info, "effective")) if _t(info, "effective") else None
    a.expires = parse_time(_t(info, "expires")) if _t(info, "expires") else None
    if _t(info, "senderName"):
        a.sender_name = f"{a.sender_name} {_t(info, 'senderName')}".strip()
    descs = []
    for area in info.findall("area"):
        descs.append(_t(area, "areaDesc"))
        if _t(area, "polygon"):
            a.polygons.append(parse_cap_polygon(_t(area, "polygon")))
        if _t(area, "circle"):
            a.circles.append(parse_cap_circle(_t(area, "circle")))
        a.geocodes += [c.strip() for c in _t(area, "geocode").split(",") if c.strip()]
    a.geocodes = list(dict.fromkeys(a.geocodes))
    a.area_desc = "；".join(dict.fromkeys(d for d in descs if d))
    return a


def _sub(parent: etree._Element, tag: str, text: str | None = "") -> etree._Element:
    el = etree.SubElement(parent, tag)
    if text:
        el.text = text
    return el


def to_national(a: AlertData, *, methods: list[str] | None = None) -> bytes:
    """The national-format XML of one message (for exchange with the 12379 system)."""
    from yingji.warnings.standards import cap_circle, cap_polygon, level_suffix

    root = etree.Element("alert")
    _sub(root, "identifier", a.identifier)
    _sub(root, "sender", a.sender_name or a.sender)
    _sub(root, "senderCode", a.sender_code or a.sender)
    _sub(root, "sendTime", national_time(a.sent))
    _sub(root, "status", a.status)
    _sub(root, "msgType", a.msg_type)
    _sub(root, "scope", a.scope)
    code = _sub(root, "code")
    text = f"{a.headline}：{a.description}" if a.description else a.headline
    for name in methods or ["SMS", "WEB", "SPEAKER"]:
        m = _sub(code, "method")
        _sub(m, "methodName", name)
        _sub(m, "message", text)
    _sub(root, "secClassification", "None")
    _sub(root, "note", a.note)
    # The national references hold the bare identifier of the first message of the chain.
    _sub(root, "references", a.references[0].identifier if a.references else "")
    if a.has_info and a.level is not None:
        et = event_types().get(a.event_type) or event_types()["other"]
        info = _sub(root, "info")
        _sub(info, "language", "zh-CN")
        _sub(info, "eventType", et.gbt35561)
        _sub(info, "urgency", "Unknown")
        _sub(info, "severity", LEVELS[a.level].national)
        _sub(info, "certainty", "Unknown")
        _sub(info, "effective", national_time(a.effective) if a.effective else "")
        _sub(info, "onset")
        _sub(info, "expires", national_time(a.expires) if a.expires else "")
        _sub(info, "senderName", a.sender_name)
        headline = a.headline if level_suffix(a.level) in a.headline else f"{a.headline}{level_suffix(a.level)}"
        _sub(info, "headline", headline)
        _sub(info, "description", a.description)
        _sub(info, "instruction", a.instruction)
        _sub(info, "web", a.web)
        area = _sub(info, "area")
        _sub(area, "areaDesc", a.area_desc)
        _sub(area, "polygon", cap_polygon(a.polygons[0]) if a.polygons else "")
        _sub(area, "circle", cap_circle(*a.circles[0]) if a.circles else "")
        _sub(area, "geocode", ",".join(a.geocodes))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
