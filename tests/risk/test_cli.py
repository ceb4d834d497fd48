"""``yingji risk assess-major-hazard FILE.json``: the same computation as the API, clear errors."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from yingji.cli import app

runner = CliRunner()


def write(tmp_path, payload) -> str:
    path = tmp_path / "unit.json"
    path.write_text(
        json.dumps(payload, ensure_ascii=False) if not isinstance(payload, str) else payload, encoding="utf-8"
    )
    return str(path)


def test_assess_issue_example(tmp_path) -> None:
    f = write(
        tmp_path,
        {
            "unit_type": "production",
            "exposed_people": 60,
            "substances": [{"name": "液氨", "cas": "7664-41-7", "quantity_t": 200}],
        },
    )
    r = runner.invoke(app, ["risk", "assess-major-hazard", f])
    assert r.exit_code == 0, r.output
    assert "S = Σq/Q = 20.0000" in r.output and "R = 60.00" in r.output and "二级" in r.output
    r = runner.invoke(app, ["risk", "assess-major-hazard", f, "--json"])
    out = json.loads(r.output)
    assert (out["S"], out["R"], out["grade"], out["is_major"]) == (20, 60, 2, True)


def test_not_major(tmp_path) -> None:
    f = write(tmp_path, {"unit_type": "storage", "substances": [{"name": "甲醇", "quantity_t": 499.9}]})
    r = runner.invoke(app, ["risk", "assess-major-hazard", f])
    assert r.exit_code == 0 and "不构成重大危险源" in r.output


def test_errors_name_the_substance(tmp_path) -> None:
    f = write(tmp_path, {"unit_type": "storage", "substances": [{"name": "神秘物质", "quantity_t": 3}]})
    r = runner.invoke(app, ["risk", "assess-major-hazard", f])
    assert r.exit_code == 1 and "神秘物质" in r.output
    r = runner.invoke(app, ["risk", "assess-major-hazard", write(tmp_path, "{not json")])
    assert r.exit_code == 1 and "不是合法的 JSON" in r.output
    r = runner.invoke(app, ["risk", "assess-major-hazard", str(tmp_path / "missing.json")])
    assert r.exit_code == 1 and "文件不存在" in r.output
    assert runner.invoke(app, ["risk", "--help"]).exit_code == 0
