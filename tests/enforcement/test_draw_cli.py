"""``yingji enforcement verify-draw``: the command that re-runs a published draw record. Apart from
tests/enforcement/test_draw.py so that the pure draw tests do not import the whole command line."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.enforcement.test_draw import published
from yingji.cli import app as cli_app


def test_verify_draw_command(tmp_path) -> None:
    good = tmp_path / "draw.json"
    good.write_text(json.dumps(published(), ensure_ascii=False), encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(cli_app, ["enforcement", "verify-draw", str(good)])
    assert ok.exit_code == 0, ok.output
    assert "核验通过" in ok.output
    bad_record = published()
    bad_record["result"] = list(reversed(bad_record["result"]))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_record, ensure_ascii=False), encoding="utf-8")
    failed = runner.invoke(cli_app, ["enforcement", "verify-draw", str(bad)])
    assert failed.exit_code == 1
    assert "核验未通过" in failed.output
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert runner.invoke(cli_app, ["enforcement", "verify-draw", str(broken)]).exit_code == 2
    assert runner.invoke(cli_app, ["enforcement", "verify-draw", str(tmp_path / "missing.json")]).exit_code == 2
