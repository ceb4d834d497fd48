"""``yingji geo import-lines`` on a real database file."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from yingji.cli import app
from yingji.core.config import get_settings
from yingji.core.db import Database
from yingji.geo import lines

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setenv("YINGJI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("YINGJI_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_import_lines_replaces_a_layer_and_names_bad_input(cli_env) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    rivers = cli_env / "rivers.geojson"
    line = {"type": "LineString", "coordinates": [[109.3, 24.3], [109.4, 24.2]]}
    rivers.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "柳江"}, "geometry": line},
        {"type": "Feature", "properties": {"name": "洛清江"}, "geometry": line}]}), encoding="utf-8")
    r = runner.invoke(app, ["geo", "import-lines", "river", str(rivers)])
    assert r.exit_code == 0 and "已导入 2 条河流水系线" in r.output
    bad = cli_env / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [{"geometry": {"type": "Point"}}]}', encoding="utf-8")
    r = runner.invoke(app, ["geo", "import-lines", "river", str(bad)])
    assert r.exit_code == 1 and "features[0]" in r.output
    with Database.from_url(get_settings().resolved_database_url()).transaction() as db:
        names = sorted(f["properties"]["name"] for f in lines.layer_geojson(db=db, layer="river")["features"])
    assert names == ["柳江", "洛清江"]  # the bad file changed nothing
    assert runner.invoke(app, ["geo", "import-lines", "lakes", str(rivers)]).exit_code == 1
