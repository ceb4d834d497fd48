"""``yingji resources ...``: import the road graph, and check stock alerts."""

from __future__ import annotations

from pathlib import Path

import typer

from yingji.core.config import get_settings
from yingji.core.db import Database
from yingji.core.errors import DomainError
from yingji.resources import service

app = typer.Typer(help="应急资源：路网导入、物资提醒", no_args_is_help=True)


def _database() -> Database:
    # The root ``yingji`` command has bootstrapped every capability before this runs.
    return Database.from_url(get_settings().resolved_database_url())


@app.command("import-roads")
def import_roads(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help=".osm 或 .geojson 路网文件"),
) -> None:
    """Replaces the road graph with an OpenStreetMap XML extract or a GeoJSON file of LineStrings (WGS84)."""
    try:
        with _database().transaction() as db:
            n = service.import_roads(db=db, name=path.name, data=path.read_bytes())
    except DomainError as exc:
        typer.echo(f"导入失败：{exc.message}", err=True)
        for d in exc.details[:20]:
            typer.echo(f"  {d.field}: {d.message}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"已导入 {n} 段道路（来源 {path.name}）")


@app.command("check-stock")
def check_stock() -> None:
    """Enqueues reorder and expiry alerts now (the scheduler does this every six hours)."""
    with _database().transaction() as db:
        typer.echo(service.daily_check(db))
