"""The ``yingji`` command line. Capabilities add their own groups in ``yingji/<capability>/cli.py``
(a Typer app named ``app``), mounted here under the capability's name."""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from yingji.bootstrap import bootstrap, capability_modules
from yingji.core.config import get_settings
from yingji.core.db import Database

app = typer.Typer(help="应急 Yingji：区县应急管理综合平台", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="数据库迁移", no_args_is_help=True)
seed_app = typer.Typer(help="载入数据集", no_args_is_help=True)
user_app = typer.Typer(help="用户管理", no_args_is_help=True)
audit_app = typer.Typer(help="审计日志", no_args_is_help=True)
jobs_app = typer.Typer(help="定时任务", no_args_is_help=True)
events_app = typer.Typer(help="领域事件", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(seed_app, name="seed")
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")
app.add_typer(jobs_app, name="jobs")
app.add_typer(events_app, name="events")


@app.callback()
def _root() -> None:
    """Every command runs with the capabilities loaded (tables, handlers, subscribers, jobs)."""
    bootstrap()


def _database() -> Database:
    return Database.from_url(get_settings().resolved_database_url())


def _fail(message: str) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="监听地址（默认 YINGJI_HOST，127.0.0.1）")] = None,
    port: Annotated[int | None, typer.Option(help="端口（默认 YINGJI_PORT，8000）")] = None,
    no_workers: Annotated[bool, typer.Option("--no-workers", help="不在本进程运行投递与定时任务")] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Web 服务进程数（同一端口）")] = 1,
    access_log: Annotated[bool, typer.Option("--access-log", help="逐条记录每个请求（默认不记录）")] = False,
) -> None:
    """运行 Web、API，以及（默认）发件箱投递和定时任务。"""
    import uvicorn

    from yingji.core.workers import BackgroundWorkers
    from yingji.demo import login_hint
    from yingji.web.server import uvicorn_options

    # uvicorn's access log is off unless asked for: a line formatted and written per request cost more
    # than a cached page itself (the reverse proxy in front keeps the access log).
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from yingji.app import create_app, demo_dataset, settle_heap

    host = host or get_settings().host
    port = port or get_settings().port

    database = _database()
    demo_dataset(database)  # before the workers start: the demo sandbox gateway only with the demo data
    # With several server processes the outbox deliverer, the scheduler and the MQTT subscriber still run
    # once, here in the parent (uvicorn's supervisor), never once per server process.
    background = None if no_workers else BackgroundWorkers(database)
    if background:
        background.start()
    subscriber = None
    if get_settings().mqtt_url:  # sensor readings over MQTT (monitoring)
        from yingji.monitoring.mqtt import Subscriber

        subscriber = Subscriber(database, get_settings().mqtt_url)
        try:
            subscriber.start()
        except (ConnectionError, OSError) as exc:
            typer.secho(f"MQTT 订阅未启动：{exc}", fg=typer.colors.YELLOW, err=True)
            subscriber = None
    typer.echo(f"\n应急管理综合平台：http://{host}:{port}   API 文档：http://{host}:{port}/api/docs")
    typer.echo(login_hint(database))
    try:
        if workers > 1:  # each process imports the factory and builds its own app and engine
            # The supervisor kills a child that does not answer its ping within the health-check time
            # (uvicorn's default 5 s): building the app takes longer than that on a busy machine, and the
            # children were killed and restarted in a loop before they ever served.
            uvicorn.run("yingji.app:app_from_settings", factory=True, workers=workers, host=host, port=port,
                        log_level="info", timeout_worker_healthcheck=60, access_log=access_log,
                        **uvicorn_options())
        else:
            application = create_app(database=database)
            settle_heap()
            uvicorn.run(application, host=host, port=port, log_level="info", access_log=access_log,
                        **uvicorn_options())
    finally:
        if subscriber:
            subscriber.stop()
        if background:
            background.stop()
        database.bind.dispose()


@app.command()
def worker(
    outbox_workers: Annotated[int, typer.Option(help="发件箱投递线程数")] = 2,
    delivery_loops: Annotated[int, typer.Option(min=0, help="预警投递线程数（多进程时各自领取，互不重复）")] = 1,
) -> None:
    """只运行发件箱投递、预警投递与定时任务（生产环境可多进程、多机运行）。"""
    import signal
    import threading

    from yingji.core import outbox
    from yingji.core.workers import BackgroundWorkers
    from yingji.warnings.service import delivery

    # uvicorn's access log is off unless asked for: a line formatted and written per request cost more
    # than a cached page itself (the reverse proxy in front keeps the access log).
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from yingji.app import demo_dataset

    bootstrap()
    database = _database()
    demo_dataset(database)  # the demo sandbox gateway only with the demo data set

    def deliver(k: int):
        # Each loop claims due delivery rows (SKIP LOCKED on PostgreSQL), so loops in any number of worker
        # processes share one warning's recipients; short runs, so that SIGTERM is answered within seconds
        # (rows claimed and not sent by then go back to the queue).
        name = f"{outbox.worker_name()}:delivery-{k}"
        return lambda: delivery.run(database, worker=name, max_seconds=3)

    loops = [(f"delivery-{k}", deliver(k)) for k in range(delivery_loops)]
    workers = BackgroundWorkers(database, outbox_workers=outbox_workers, loops=loops)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    workers.start()
    typer.echo(f"worker running ({outbox_workers} outbox threads, {delivery_loops} delivery loops); Ctrl-C to stop")
    stop.wait()
    workers.stop()


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="目标版本")] = "heads") -> None:
    """应用数据库迁移（默认到最新）。"""
    from yingji.core.migrate import upgrade

    upgrade(get_settings().resolved_database_url(), revision)
    typer.echo(f"数据库已迁移到 {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="目标版本，如 -1 或 base")] = "-1") -> None:
    """回退数据库迁移。"""
    from yingji.core.migrate import downgrade

    downgrade(get_settings().resolved_database_url(), revision)
    typer.echo(f"数据库已回退到 {revision}")


@seed_app.command("demo")
def seed_demo(
    if_empty: Annotated[bool, typer.Option("--if-empty", help="数据库已有数据时什么也不做")] = False,
) -> None:
    """生成柳江区演示数据集（确定性，可重复）。"""
    from yingji.demo import seed_demo as run_seed

    bootstrap()
    summary = run_seed(_database(), if_empty=if_empty)
    typer.echo(summary)


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Option(help="用户名")],
    password: Annotated[str, typer.Option(help="密码（至少 8 位）", prompt=True, hide_input=True)],
    role: Annotated[
        str,
        typer.Option(
            help="角色代码：admin, duty_officer, leader, liaison, township_officer, info_officer, enterprise_manager"
        ),
    ],
    region: Annotated[str | None, typer.Option(help="范围区域代码（镇、村级角色必填）")] = None,
    enterprise: Annotated[int | None, typer.Option(help="企业编号（企业安全管理员必填）")] = None,
    display_name: Annotated[str, typer.Option(help="姓名")] = "",
) -> None:
    """新增用户。"""
    from pydantic import ValidationError

    from yingji.accounts import service as accounts_service
    from yingji.accounts.schemas import UserCreate
    from yingji.core.actor import SYSTEM
    from yingji.core.errors import DomainError

    bootstrap()
    try:
        data = UserCreate(
            username=username,
            password=password,
            role=role,
            region_code=region,
            enterprise_id=enterprise,
            display_name=display_name,
        )
        with _database().transaction() as db:
            user = accounts_service.create_user(db=db, actor=SYSTEM, data=data)
            typer.echo(f"已创建用户 {user.username}（{user.role}），编号 {user.id}")
    except ValidationError as exc:
        from yingji.core.i18n import validation_details

        _fail("；".join(f"{d['field']}: {d['message']}" for d in validation_details(list(exc.errors()))))
    except DomainError as exc:
        _fail(
            "；".join([exc.message] + [f"{d.field}: {d.message}" for d in exc.details if d.message not in exc.message])
        )


@audit_app.command("verify")
def audit_verify() -> None:
    """校验审计日志哈希链，报告第一处断链。"""
    from yingji.core.audit import describe, verify_chain

    bootstrap()
    with _database().transaction() as db:
        report = verify_chain(db)
    if report.ok:
        typer.echo(describe(report))
    else:
        _fail(describe(report))


@jobs_app.command("list")
def jobs_list() -> None:
    """列出定时任务。"""
    from yingji.core.jobs import all_jobs

    bootstrap()
    for job in all_jobs():
        typer.echo(f"{job.name:45} 每 {job.every_s:>6} 秒  {job.description}")


@jobs_app.command("run")
def jobs_run(name: Annotated[str, typer.Argument(help="任务名")]) -> None:
    """立即运行一个定时任务。"""
    from yingji.core.jobs import run_job

    bootstrap()
    try:
        summary = run_job(_database(), name)
    except KeyError:
        _fail(f"没有名为 {name} 的任务；用 yingji jobs list 查看")
    typer.echo(summary if summary is not None else "该任务正在其他进程中运行，已跳过")


@events_app.command("list")
def events_list() -> None:
    """列出每种领域事件、发布方和订阅方。"""
    from yingji.core.events import catalogue

    bootstrap()
    for info in catalogue():
        subs = ", ".join(info.subscribers) or "（无订阅方）"
        typer.echo(f"{info.name:26} 发布方 {info.publisher:11} 订阅方 {subs}")
        typer.echo(f"{'':26} {info.doc}")


for _module in capability_modules("cli"):
    app.add_typer(_module.app, name=_module.__name__.split(".")[1])

from yingji.monitoring.cli import ingest_app, simulate_app  # noqa: E402  (top-level monitoring commands)

app.add_typer(ingest_app, name="ingest")
app.add_typer(simulate_app, name="simulate")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
