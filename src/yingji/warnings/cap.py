"""CAP 1.2: writing, safe parsing and validation (the OASIS schema plus the rules beyond it).

Parsing never resolves entities, DTDs, XInclude or the network; a document with a DOCTYPE is refused.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from lxml import etree

from yingji.warnings.alert import AlertData, Reference
from yingji.warnings.enums import Level
from yingji.warnings.standards import (
    EVENT_CODE_NAME,
    LEVELS,
    PARAM_AWARENESS,
    PARAM_COLOUR,
    PARAM_LEVEL,
    awareness_level,
    cap_circle,
    cap_polygon,
    cap_time,
    event_type_by_gbt,
    event_type_by_label,
    event_types,
    level_from,
    level_suffix,
    parse_cap_circle,
    parse_cap_polygon,
    parse_time,
)

NS = "urn:oasis:names:tc:emergency:cap:1.2"
Q = "{" + NS + "}"
CAP_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$")
ID_CHARS = re.compile(r"^[^\s,&<]+$")
LANGUAGE = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")


class XmlRefused(ValueError):
    """The document is not XML we are willing to read."""


def safe_parse(data: bytes) -> etree._Element:
    if re.search(rb"<!DOCTYPE", data[:4096], re.IGNORECASE) or b"<!ENTITY" in data:
        raise XmlRefused("不接受含 DOCTYPE/实体声明的 XML（防止 XXE）")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=True
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise XmlRefused(f"XML 格式错误：{exc}") from exc


@cache
def schema() -> etree.XMLSchema:
    xsd = (resources.files("yingji.warnings") / "data" / "cap-1.2.xsd").read_bytes()
    return etree.XMLSchema(safe_parse(xsd))


# --- writing --------------------------------------------------------------------------------------


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    el = etree.SubElement(parent, Q + tag)
    if text is not None:
        el.text = text
    return el


def _pair(parent: etree._Element, tag: str, name: str, value: str) -> None:
    el = _sub(parent, tag)
    _sub(el, "valueName", name)
    _sub(el, "value", value)


def to_cap(a: AlertData) -> bytes:
    """CAP 1.2 XML of one message, Chinese text in an ``info`` with language zh-CN."""
    root = etree.Element(Q + "alert", nsmap={None: NS})
    _sub(root, "identifier", a.identifier)
    _sub(root, "sender", a.sender)
    _sub(root, "sent", cap_time(a.sent))
    _sub(root, "status", a.status)
    _sub(root, "msgType", a.msg_type)
    _sub(root, "scope", a.scope)
    if a.note:
        _sub(root, "note", a.note)
    if a.references:
        _sub(root, "references", " ".join(f"{r.sender},{r.identifier},{r.sent}" for r in a.references))
    if a.has_info and a.level is not None:
        m = LEVELS[a.level]
        et = event_types().get(a.event_type) or event_types()["other"]
        info = _sub(root, "info")
        _sub(info, "language", "zh-CN")
        _sub(info, "category", et.cap_category)
        _sub(info, "event", a.event or et.label)
        _sub(info, "responseType", "AllClear" if a.msg_type == "Cancel" else "Prepare")
        _sub(info, "urgency", "Past" if a.msg_type == "Cancel" else m.urgency)
        _sub(info, "severity", m.severity)
        _sub(info, "certainty", m.certainty)
        if et.gbt35561:
            _pair(info, "eventCode", EVENT_CODE_NAME, et.gbt35561)
        if a.effective:
            _sub(info, "effective", cap_time(a.effective))
        if a.expires:
            _sub(info, "expires", cap_time(a.expires))
        if a.sender_name:
            _sub(info, "senderName", a.sender_name)
        _sub(info, "headline", a.headline)
        if a.description:
            _sub(info, "description", a.description)
        if a.instruction:
            _sub(info, "instruction", a.instruction)
        if a.web:
            _sub(info, "web", a.web)
        _pair(info, "parameter", PARAM_COLOUR, m.national)
        _pair(info, "parameter", PARAM_LEVEL, level_suffix(a.level).strip("[]"))
        _pair(info, "parameter", PARAM_AWARENESS, awareness_level(a.level))
        area = _sub(info, "area")
        _sub(area, "areaDesc", a.area_desc or "柳江区")
        for ring in a.polygons:
            _sub(area, "polygon", cap_polygon(ring))
        for lon, lat, r in a.circles:
            _sub(area, "circle", cap_circle(lon, lat, r))
        for code in a.geocodes:
            _pair(area, "geocode", "GB/T 2260", code)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- validating and reading -----------------------------------------------------------------------


def _t(el: etree._Element | None, tag: str) -> str:
    found = el.find(Q + tag) if el is not None else None
    return (found.text or "").strip() if found is not None else ""


def _pairs(el: etree._Element, tag: str) -> list[tuple[str, str]]:
    return [(_t(p, "valueName"), _t(p, "value")) for p in el.findall(Q + tag)]


def validate(root: etree._Element) -> list[str]:
    """Every reason the CAP 1.2 document is invalid (empty when valid)."""
    if root.tag != Q + "alert":
        return [f"根元素须为 CAP 1.2 命名空间 {NS} 中的 alert，实为 {root.tag}"]
    s = schema()
    reasons = [] if s.validate(root) else [f"第 {e.line} 行：{e.message}" for e in s.error_log]
    for tag in ("identifier", "sender"):
        v = _t(root, tag)
        if v and not ID_CHARS.match(v):
            reasons.append(f"{tag} 不能含空白、逗号、< 或 &")
    times = [("sent", _t(root, "sent"))]
    for info in root.findall(Q + "info"):
        times += [(t, _t(info, t)) for t in ("effective", "onset", "expires") if _t(info, t)]
        lang = _t(info, "language")
        if lang and not LANGUAGE.match(lang):
            reasons.append(f"language {lang} 不符合 RFC 3066")
        for area in info.findall(Q + "area"):
            for poly in area.findall(Q + "polygon"):
                try:
                    parse_cap_polygon(poly.text or "")
                except ValueError as exc:
                    reasons.append(f"polygon：{exc}")
            for circle in area.findall(Q + "circle"):
                try:
                    parse_cap_circle(circle.text or "")
                except ValueError as exc:
                    reasons.append(f"circle：{exc}")
    for tag, value in times:
        if value and not CAP_TIME.match(value):
            reasons.append(f"{tag} 时间格式须为 YYYY-MM-DDThh:mm:ss±hh:mm（含时区，无小数秒）：{value}")
    msg_type, refs = _t(root, "msgType"), _t(root, "references")
    if msg_type in ("Update", "Cancel") and not refs:
        reasons.append(f"msgType 为 {msg_type} 时须有 references")
    for triple in refs.split():
        parts = triple.split(",")
        if len(parts) != 3 or not all(parts):
            reasons.append(f"references 须为空格分隔的 sender,identifier,sent 三元组：{triple}")
        elif parts[1] == _t(root, "identifier") and parts[0] == _t(root, "sender"):
            reasons.append("references 引用了自身（循环引用）")
    if _t(root, "scope") == "Restricted" and not _t(root, "restriction"):
        reasons.append("scope 为 Restricted 时须有 restriction")
    return reasons


def from_cap(root: etree._Element) -> AlertData:
    """Reads a validated CAP 1.2 alert; the first info in Chinese is preferred, else the first."""
    infos = root.findall(Q + "info")
    info = next((i for i in infos if _t(i, "language").lower().startswith("zh")), infos[0] if infos else None)
    refs = []
    for triple in _t(root, "references").split():
        parts = triple.split(",")
        if len(parts) == 3:
            refs.append(Reference(*parts))
    a = AlertData(
        identifier=_t(root, "identifier"),
        sender=_t(root, "sender"),
        sent=parse_time(_t(root, "sent")),
        msg_type=_t(root, "msgType"),
        status=_t(root, "status"),
        scope=_t(root, "scope"),
        references=refs,
        note=_t(root, "note"),
        has_info=info is not None,
    )
    if info is None:
        return a
    params = dict(_pairs(info, "parameter"))
    codes = dict(_pairs(info, "eventCode"))
    colour = params.get(PARAM_COLOUR) or params.get("severityColor") or params.get(PARAM_AWARENESS, "").split("; ")[1:2]
    colour = colour[0] if isinstance(colour, list) and colour else (colour or None)
    a.level = level_from(colour=colour, severity=_t(info, "severity")) or Level.blue
    a.event = _t(info, "event")
    et = event_type_by_gbt(codes.get(EVENT_CODE_NAME, "")) or event_type_by_label(a.event)
    a.event_type = et.code if et else "other"
    a.category = _t(info, "category")
    a.language = _t(info, "language") or "en-US"
    a.headline, a.description, a.instruction = _t(info, "headline"), _t(info, "description"), _t(info, "instruction")
    a.sender_name, a.web = _t(info, "senderName"), _t(info, "web")
    a.effective = parse_time(_t(info, "effective")) if _t(info, "effective") else None
    a.expires = parse_time(_t(info, "expires")) if _t(info, "expires") else None
    descs = []
    for area in info.findall(Q + "area"):
        descs.append(_t(area, "areaDesc"))
        a.polygons += [parse_cap_polygon(p.text or "") for p in area.findall(Q + "polygon")]
        a.circles += [parse_cap_circle(c.text or "") for c in area.findall(Q + "circle")]
        a.geocodes += [v for _n, v in _pairs(area, "geocode") if re.fullmatch(r"\d{12}", v)]
    a.area_desc = "；".join(d for d in descs if d)
    return a
