"""The built-in rule packs as data, without a database: the 暴雨 pack written out from 中国气象局令第16号
(the "已达…" half of each signal: red 3 h ≥ 100 mm, orange 3 h ≥ 50, yellow 6 h ≥ 50, blue 12 h ≥ 50)."""

from __future__ import annotations

from yingji.monitoring.standards import rainstorm_rules, rainstorm_signal, rule_packs

SIGNALS = [  # level, colour word, hours, millimetres, as the regulation states them
    ("red", "红", 3, 100), ("orange", "橙", 3, 50), ("yellow", "黄", 6, 50), ("blue", "蓝", 12, 50),
]


def test_the_rainstorm_pack_is_the_regulation_red_first() -> None:
    assert rainstorm_rules() == [
        {
            "code": f"rainstorm-{level}",
            "name": f"暴雨{colour}色（实况 {hours} 小时 ≥ {mm} 毫米）",
            "kind": "accumulation",
            "level": level,
            "group": "rainstorm",
            "sensor_kind": "rain_gauge",
            "params": {"window_s": hours * 3600, "value": mm},
            "source": f"中国气象局令第16号 暴雨预警信号：{hours}小时内降雨量已达{mm}毫米以上且降雨可能持续",
        }
        for level, colour, hours, mm in SIGNALS
    ]


def test_rainstorm_signal_worked_examples() -> None:
    # 令16号: red 3 h ≥ 100, orange 3 h ≥ 50, yellow 6 h ≥ 50, blue 12 h ≥ 50 (observed); "以上" means ≥.
    assert rainstorm_signal({3: 100.0, 6: 100.0, 12: 100.0}) == "red"
    assert rainstorm_signal({3: 99.9, 6: 120.0, 12: 150.0}) == "orange"
    assert rainstorm_signal({3: 49.9, 6: 50.0, 12: 50.0}) == "yellow"
    assert rainstorm_signal({3: 30.0, 6: 49.9, 12: 50.0}) == "blue"
    assert rainstorm_signal({3: 30.0, 6: 40.0, 12: 49.9}) is None


def test_each_signal_at_its_own_edge() -> None:
    # Exactly the amount is the signal ("以上" includes it); a window the reading lacks counts as 0 mm.
    assert rainstorm_signal({3: 100}) == "red"
    assert rainstorm_signal({3: 50}) == "orange"
    assert rainstorm_signal({6: 50}) == "yellow"
    assert rainstorm_signal({12: 50}) == "blue"
    assert rainstorm_signal({}) is None
    assert rainstorm_signal({1: 200}) is None  # no signal is defined on a 1-hour window


def test_every_pack_is_offered() -> None:
    packs = rule_packs()
    assert packs["rainstorm"] == {"label": "暴雨预警信号（实况雨量）", "rules": rainstorm_rules()}
    assert {"landslide", "major_hazard"} <= set(packs)
    assert packs["landslide"]["label"] == "滑坡位移速率"
