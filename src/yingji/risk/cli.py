"""``yingji risk ...``: standards computations from the command line, and the overdue-hazard job."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from yingji.core.errors import DomainError
from yingji.risk import standards
from yingji.risk.enums import MAJOR_GRADE_LABELS

app = typer.Typer(help="风险防控（双重预防）", no_args_is_help=True)


def _fail(message: str) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


@app.command("assess-major-hazard")
def assess_major_hazard(
    file: Annotated[
        Path,
        typer.Argument(
            help='JSON 文件：{"unit_type", "substances": [{"name", "cas", "quantity_t"}], "exposed_people"}'
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """按 GB 18218-2018 辨识一个单元是否构成重大危险源并分级。"""
    try:
        payload = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        _fail(f"文件不存在：{file}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        _fail(f"{file} 不是合法的 JSON：{exc}")
    try:
        result = standards.assess_major_hazard(payload)
    except DomainError as exc:
        _fail(
            "；".join([exc.message] + [f"{d.field}: {d.message}" for d in exc.details if d.message not in exc.message])
        )
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    for b in result.breakdown:
        typer.echo(
            f"{b.name:12} {b.source:10} q={float(b.quantity_t):g} t  Q={float(b.q_t):g} t  "
            f"q/Q={float(b.ratio):.4f}  β={float(b.beta):g}"
        )
    typer.echo(f"S = Σq/Q = {float(result.S):.4f}")
    if result.is_major:
        typer.echo(
            f"构成重大危险源：R = {float(result.R):.2f}（{result.alpha_reason}），{MAJOR_GRADE_LABELS[result.grade]}"
        )
    else:
        typer.echo("不构成重大危险源（S < 1）")
