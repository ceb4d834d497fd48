"""``yingji warnings …``: delivery workers, importing upstream messages, exporting CAP."""

from __future__ import annotations

import threading
from pathlib import Path

import typer

from yingji.core.actor import SYSTEM
from yingji.core.config import get_settings
from yingji.core.db import Database
from yingji.core.errors import DomainError
from yingji.warnings.service import delivery, feeds, ingest, messages

app = typer.Typer(help="预警发布：投递、导入上级预警、导出 CAP", no_args_is_help=True)


def _database() -> Database:
    # The root ``yingji`` command has bootstrapped every capability before this runs.
    return Database.from_url(get_settings().resolved_database_url())


@app.command("deliver")
def deliver(
    workers: int = typer.Option(1, help="并行投递线程数（PostgreSQL 上用 SKIP LOCKED 分担）"),
    batch: int = typer.Option(50, help="每次领取的投递条数"),
    warning_id: int | None = typer.Option(None, help="只投递这条预警"),
) -> None:
    """Sends every due delivery now (retries, fallbacks, rows of dead workers), then exits."""
    database = _database()
    counts: list[int] = []

    def work(n: int) -> None:
        counts.append(delivery.run(database, batch=batch, warning_id=warning_id, worker=f"cli-{n}"))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(max(1, workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    typer.echo(f"处理 {sum(counts)} 条投递")


@app.command("import")
def import_file(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="CAP 1.2 或国家预警发布格式 XML"),
) -> None:
    """Imports one upstream message (as the system)."""
    database = _database()
    try:
        with database.transaction() as db:
            w = ingest.import_message(db=db, actor=SYSTEM, data=path.read_bytes())
            typer.echo(
                f"已收录 #{w.id}：{w.headline}（{'涉及本区，已生成草稿' if w.touches_district else '不涉及本区'}）"
            )
    except DomainError as exc:
        typer.secho(exc.message, fg=typer.colors.RED, err=True)
        for d in exc.details:
            typer.secho(f"  - {d.message}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc


@app.command("poll")
def poll() -> None:
    """Polls the feeds of YINGJI_WARNINGS_FEEDS once."""
    with _database().transaction() as db:
        typer.echo(feeds.poll(db=db, actor=SYSTEM))


@app.command("cap")
def export_cap(warning_id: int, national: bool = typer.Option(False, help="国家预警发布格式")) -> None:
    """Prints a published warning as CAP 1.2 (or national-format) XML."""
    try:
        with _database().transaction() as db:
            fn = messages.national_xml if national else messages.cap_xml
            typer.echo(fn(db=db, actor=SYSTEM, warning_id=warning_id).decode("utf-8"))
    except DomainError as exc:
        typer.secho(exc.message, fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
