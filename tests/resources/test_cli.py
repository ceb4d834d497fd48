"""``yingji resources import-roads`` and ``check-stock`` on a real database file."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from yingji.cli import app
from yingji.core.config import get_settings

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setenv("YINGJI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("YINGJI_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_import_roads_and_check_stock(cli_env) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    roads = cli_env / "roads.geojson"
    roads.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"highway": "secondary"},
                        "geometry": {
                            "type": "LineString",
                            "coordinates": [[109.30, 24.25], [109.31, 24.25], [109.32, 24.26]],
                        },
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    r = runner.invoke(app, ["resources", "import-roads", str(roads)])
    assert r.exit_code == 0 and "已导入 2 段道路" in r.output
    bad = cli_env / "bad.geojson"
    bad.write_text('{"type": "Feature"}', encoding="utf-8")
    r = runner.invoke(app, ["resources", "import-roads", str(bad)])
    assert r.exit_code == 1
    r = runner.invoke(app, ["resources", "check-stock"])
    assert r.exit_code == 0 and "临期提醒 0 条" in r.output
    assert "resources.stock_alerts" in runner.invoke(app, ["jobs", "list"]).output
