"""``yingji geo ...``: roads and rivers for the 一张图 map."""

from __future__ import annotations

from pathlib import Path

import typer

from yingji.core.config import get_settings
from yingji.core.db import Database
from yingji.core.errors import DomainError
from yingji.geo import lines

app = typer.Typer(help="地理：地图上的道路、河流图层", no_args_is_help=True)


@app.command("import-lines")
def import_lines(
    layer: str = typer.Argument(..., help="road（道路）或 river（河流水系）"),
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help=".osm、.geojson 或 Shapefile 的 .zip"),
    crs: str = typer.Option("wgs84", help="文件的坐标系：wgs84 或 gcj02（导入时转换为 WGS84）"),
) -> None:
    """Replaces one map layer (roads or rivers) with the lines of a file. Display only: travel times use
    the road graph (``yingji resources import-roads``)."""
    try:
        with Database.from_url(get_settings().resolved_database_url()).transaction() as db:
            n = lines.import_lines(db=db, layer=layer, name=path.name, data=path.read_bytes(), crs=crs)
    except DomainError as exc:
        typer.echo(f"导入失败：{exc.message}", err=True)
        for d in exc.details[:20]:
            typer.echo(f"  {d.field}: {d.message}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"已导入 {n} 条{lines.LAYERS[layer]}线（来源 {path.name}）")
