"""The ``yingji`` command line: every command has help, and the commands work on a real database file."""

from __future__ import annotations

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


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["serve"],
        ["worker"],
        ["db", "upgrade"],
        ["db", "downgrade"],
        ["seed", "demo"],
        ["user", "add"],
        ["audit", "verify"],
        ["jobs", "list"],
        ["jobs", "run"],
        ["events", "list"],
    ],
)
def test_every_command_has_help(args: list[str]) -> None:
    r = runner.invoke(app, [*args, "--help"])
    assert r.exit_code == 0, r.output
    assert "Usage" in r.output


def test_serve_help_lists_its_options() -> None:
    out = runner.invoke(app, ["serve", "--help"]).output
    assert "--host" in out and "--port" in out and "--no-workers" in out


def test_upgrade_user_add_audit_verify_and_tamper(cli_env) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    # A region is needed for scoped roles: load the demo geography first.
    r = runner.invoke(app, ["seed", "demo"])
    assert r.exit_code == 0 and "118" in r.output
    again = runner.invoke(app, ["seed", "demo", "--if-empty"])
    assert again.exit_code == 0 and "已有数据" in again.output

    r = runner.invoke(
        app,
        [
            "user",
            "add",
            "--username",
            "zhang",
            "--password",
            "long-password-1",
            "--role",
            "township_officer",
            "--region",
            "450206101000",
        ],
    )
    assert r.exit_code == 0, r.output
    bad = runner.invoke(
        app, ["user", "add", "--username", "lisi", "--password", "long-password-1", "--role", "township_officer"]
    )
    assert bad.exit_code == 1 and "region_code" in bad.output
    bad = runner.invoke(app, ["user", "add", "--username", "lisi", "--password", "short", "--role", "leader"])
    assert bad.exit_code == 1 and "password" in bad.output
    bad = runner.invoke(app, ["user", "add", "--username", "lisi", "--password", "long-password-1", "--role", "king"])
    assert bad.exit_code == 1 and "role" in bad.output

    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and "审计日志完整" in ok.output

    import sqlite3

    con = sqlite3.connect(cli_env / "cli.db")
    con.execute('UPDATE audit_entries SET after = \'{"name": "forged"}\' WHERE seq = 100')
    con.commit()
    con.close()
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "第 100 条" in broken.output


def test_jobs_list_and_unknown_job(cli_env) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    listing = runner.invoke(app, ["jobs", "list"])
    assert "accounts.purge_expired_sessions" in listing.output
    r = runner.invoke(app, ["jobs", "run", "no.such.job"])
    assert r.exit_code == 1 and "没有名为" in r.output
    assert runner.invoke(app, ["jobs", "run", "accounts.purge_expired_sessions"]).exit_code == 0


def test_downgrade_then_upgrade(cli_env) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["db", "downgrade", "base"]).exit_code == 0
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0


def test_events_list_names_publisher_and_subscribers() -> None:
    r = runner.invoke(app, ["events", "list"])
    assert r.exit_code == 0, r.output
    line = next(ln for ln in r.output.splitlines() if ln.startswith("AlarmRaised "))
    assert "发布方 monitoring" in line and "warnings.open_draft_from_alarm" in line
    for name in ("WarningPublished", "WarningCancelled", "HazardReported", "HazardClosed", "HazardOverdue",
                 "StockIssued", "TeamStatusChanged", "ShelterOccupancyChanged", "AlarmEscalated", "AlarmResolved"):
        assert any(ln.startswith(name + " ") for ln in r.output.splitlines()), name
