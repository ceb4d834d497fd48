"""The rainstorm simulator: a plausible storm that opens rainstorm alarms over the demo network."""

from __future__ import annotations

from typer.testing import CliRunner

from yingji.core.actor import SYSTEM
from yingji.core.clock import utcnow
from yingji.core.db import Database
from yingji.core.pagination import PageParams
from yingji.monitoring import service
from yingji.monitoring.simulate import SimSensor, Storm, replay


def test_storm_cell_is_strongest_at_its_centre_mid_storm() -> None:
    storm = Storm(west=109.0, east=109.6, lat=24.2, hours=6)
    lon, lat = storm.centre(0.5)
    assert storm.intensity_mm_h(lon, lat, 0.5) > 50
    assert storm.intensity_mm_h(lon + 0.3, lat, 0.5) < 1  # ~30 km away: dry
    assert storm.intensity_mm_h(lon, lat, 0.0) == 0.0  # nothing before it starts


def test_replay_over_the_demo_network_opens_rainstorm_alarms(db) -> None:
    rows, _ = service.list_sensors(db=db, actor=SYSTEM, page=PageParams(page_size=500), kind="rain_gauge")
    sensors = [SimSensor(s.code, s.kind, s.lon, s.lat) for s in rows]
    lines: list[str] = []

    def send(batch: list[dict]) -> dict:
        out = service.ingest(db=db, actor=SYSTEM, items=batch, source="sim")
        return {"accepted": out.accepted, "duplicates": out.duplicates, "rejected": out.rejected}

    totals = replay(sensors, hours=6, speed=0, end=utcnow(), send=send, echo=lines.append)
    assert totals == {"steps": 72, "accepted": 72 * len(sensors), "duplicates": 0, "rejected": 0}
    assert max(s.total for s in sensors) > 100 and lines
    alarms, _ = service.list_alarms(db=db, actor=SYSTEM, page=PageParams(page_size=500), active_only=True)
    levels = {a.level for a in alarms if a.group == "rainstorm"}
    assert "red" in levels and "orange" in levels


def test_cli_lists_packs_and_refuses_an_unknown_transport() -> None:
    from yingji.cli import app

    runner = CliRunner()
    out = runner.invoke(app, ["monitoring", "packs"])
    assert out.exit_code == 0 and "rainstorm" in out.output and "暴雨" in out.output


def test_cli_simulates_a_rainstorm_into_the_database(demo_env) -> None:
    from yingji.cli import app

    runner = CliRunner()
    database = Database.from_url(demo_env)
    with database.transaction() as db:
        before = _active_rainstorm_alarms(db)
    refused = runner.invoke(app, ["simulate", "rainstorm", "--via", "pigeon", "--speed", "0"])
    assert refused.exit_code != 0 and "--via 只能是 http、mqtt 或 direct" in refused.output
    out = runner.invoke(app, ["simulate", "rainstorm", "--via", "direct", "--speed", "0", "--hours", "6"])
    assert out.exit_code == 0, out.output
    assert "完成" in out.output and "拒收 0" in out.output
    with database.transaction() as db:
        after = _active_rainstorm_alarms(db)
    database.bind.dispose()
    assert len(after) > len(before) and "red" in {a.level for a in after}


def _active_rainstorm_alarms(db) -> list:
    alarms, _ = service.list_alarms(db=db, actor=SYSTEM, page=PageParams(page_size=500), active_only=True)
    return [a for a in alarms if a.group == "rainstorm"]
