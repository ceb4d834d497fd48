"""``yingji enforcement ...``: checks anyone can run on published enforcement records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from yingji.enforcement import draw

app = typer.Typer(help="监管执法", no_args_is_help=True)


@app.command("verify-draw")
def verify_draw(file: Annotated[Path, typer.Argument(help="公布的双随机抽取记录（JSON）")]) -> None:
    """核验一次双随机抽取：种子与事先公布的承诺相符、输入未被改动、按公布的算法重新抽取结果相同。"""
    try:
        record = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        typer.secho(f"文件不存在：{file}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        typer.secho(f"{file} 不是合法的 JSON：{exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    try:
        result = draw.verify(record)
    except (draw.DrawMismatch, KeyError, TypeError, ValueError) as exc:
        message = str(exc) if isinstance(exc, draw.DrawMismatch) else f"记录不完整或格式不对：{exc}"
        typer.secho(f"核验未通过：{message}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    typer.echo(f"核验通过：{record.get('draw_no', '')} 共抽取 {len(result)} 家企业，结果与公布的一致。")


@app.command("verify-cases")
def verify_cases() -> None:
    """核对每件行政处罚案件与审计日志记录的是否一致（发现绕过系统对案件的改动）。"""
    from yingji.core.config import get_settings
    from yingji.core.db import Database
    from yingji.enforcement.service.cases import verify_cases as check

    with Database.from_url(get_settings().resolved_database_url()).transaction() as db:
        found = check(db)
    if not found:
        typer.echo("案件与审计日志一致")
        return
    for m in found:
        typer.secho(f"{m.case_no}：{m.field} 审计日志记录为 {m.recorded!r}，库中为 {m.stored!r}", fg=typer.colors.RED,
                    err=True)
    raise typer.Exit(1)
