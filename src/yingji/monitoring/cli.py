"""``yingji monitoring …`` (rule packs, storage), ``yingji ingest mqtt`` and ``yingji simulate rainstorm``."""

from __future__ import annotations

import logging
import signal
import threading
import time
from typing import Annotated

import typer

from yingji.core.actor import SYSTEM
from yingji.core.clock import utcnow
from yingji.core.config import get_settings
from yingji.core.db import Database
from yingji.core.errors import DomainError
from yingji.core.pagination import PageParams
from yingji.monitoring import service
from yingji.monitoring.standards import rule_packs

app = typer.Typer(help="监测预警：规则包、读数存储", no_args_is_help=True)
ingest_app = typer.Typer(help="接入传感器读数", no_args_is_help=True)
simulate_app = typer.Typer(help="模拟演示数据流", no_args_is_help=True)


def _database() -> Database:
    # The root ``yingji`` command has bootstrapped every capability before this runs.
    return Database.from_url(get_settings().resolved_database_url())


@app.command("packs")
def packs() -> None:
    """列出内置规则包。"""
    for name, pack in rule_packs().items():
        typer.echo(f"{name:14} {pack['label']}（{len(pack['rules'])} 条规则）")


@app.command("install-pack")
def install_pack(name: Annotated[str, typer.Argument(help="规则包名称，见 yingji monitoring packs")]) -> None:
    """安装内置规则包（已存在的规则保持不变）。"""
    try:
        with _database().transaction() as db:
            made = service.install_pack(db=db, actor=SYSTEM, pack=name)
    except DomainError as exc:
        typer.secho(exc.message, fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    typer.echo(f"已安装 {len(made)} 条规则")


@app.command("rollup")
def rollup() -> None:
    """立即计算小时汇总并按保留期清理原始读数。"""
    with _database().transaction() as db:
        now = utcnow()
        rows = service.rollup(db=db, now=now)
        purged = service.purge_raw(db=db, now=now)
    typer.echo(f"小时汇总 {rows} 行，清理原始读数 {purged}")


@ingest_app.command("mqtt")
def ingest_mqtt(
    url: Annotated[str, typer.Option(help="MQTT 服务器，默认取 YINGJI_MQTT_URL")] = "",
) -> None:
    """订阅 <前缀><传感器编码>（默认 yingji/readings/），读数提交入库后才确认（Ctrl-C 结束）。"""
    from yingji.monitoring.mqtt import Subscriber

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    url = url or get_settings().mqtt_url or "mqtt://127.0.0.1:1883"
    sub = Subscriber(_database(), url)
    try:
        sub.start()
    except (ConnectionError, OSError) as exc:
        typer.secho(f"无法连接 MQTT 服务器 {url}：{exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    typer.echo(f"正在接收 {url} 上的 {sub.prefix}+（客户端 {sub.client_id}，QoS {sub.qos}）…")
    while not stop.wait(30):
        c = sub.counters
        typer.echo(f"消息 {c.messages}，入库 {c.accepted}，重复 {c.duplicates}，拒收 {c.rejected}")
    sub.stop()
    c = sub.counters
    typer.echo(
        f"已停止：消息 {c.messages}，入库 {c.accepted}，重复 {c.duplicates}，拒收 {c.rejected} {c.reasons or ''}"
    )


@simulate_app.command("rainstorm")
def rainstorm(
    hours: Annotated[float, typer.Option(help="模拟的暴雨时长（小时）")] = 6.0,
    speed: Annotated[float, typer.Option(help="倍速：每真实秒模拟多少秒；0 为不等待")] = 60.0,
    via: Annotated[str, typer.Option(help="http | mqtt | direct（直接写库）")] = "http",
    url: Annotated[str, typer.Option(help="平台地址（--via http），默认取 YINGJI_SERVER_URL 或 YINGJI_HOST/PORT")] = "",
    username: Annotated[str, typer.Option(help="接入账号（--via http）")] = "duty",
    password: Annotated[str, typer.Option(help="密码（--via http）；默认演示账号的密码")] = "",
    mqtt_url: Annotated[str, typer.Option(help="MQTT 服务器（--via mqtt），默认取 YINGJI_MQTT_URL")] = "",
) -> None:
    """在演示区回放一场暴雨：雨量累积、水位上涨、街道积水，告警随之产生和升级。"""
    from yingji.monitoring.simulate import SimSensor, replay

    database = _database()
    with database.transaction() as db:
        sensors = []
        for kind in ("rain_gauge", "water_level", "waterlogging"):
            rows, _ = service.list_sensors(db=db, actor=SYSTEM, page=PageParams(page_size=500), kind=kind)
            sensors += [SimSensor(s.code, s.kind, s.lon, s.lat, base=80.0) for s in rows if s.active]
    if not sensors:
        typer.secho(
            "数据库里没有雨量、水位或积水传感器：先载入演示数据（yingji seed demo）", fg=typer.colors.RED, err=True
        )
        raise typer.Exit(1)
    url = url or get_settings().resolved_server_url()
    send = _sender(via, database, url=url, username=username, password=password, mqtt_url=mqtt_url)
    where = f"经 {via} 发送" + (f"到 {url}" if via == "http" else "")
    typer.echo(f"暴雨模拟：{len(sensors)} 个传感器，{hours:g} 小时，{speed:g} 倍速，{where}")
    try:
        totals = replay(sensors, hours=hours, speed=speed, end=utcnow(), send=send, echo=typer.echo)
    except Unreachable as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"完成：{totals['steps']} 步，入库 {totals['accepted']}，重复 {totals['duplicates']}，拒收 {totals['rejected']}"
        if via != "mqtt"
        else f"完成：{totals['steps']} 步，已发布 {totals['accepted']} 条（入库情况见订阅端统计与“接入异常”）"
    )


class Unreachable(Exception):
    """The platform cannot be reached or refuses: said in one line, never a traceback."""

    @classmethod
    def of(cls, url: str, exc: Exception) -> Unreachable:
        return cls(f"无法连接平台 {url}（{type(exc).__name__}）：请确认平台已运行（make run），或用 --url 指定地址")


def _sender(via: str, database: Database, *, url: str, username: str, password: str, mqtt_url: str):
    if via == "direct":

        def direct(batch: list[dict]) -> dict:
            with database.transaction() as db:
                out = service.ingest(db=db, actor=SYSTEM, items=batch, source="sim")
            return {"accepted": out.accepted, "duplicates": out.duplicates, "rejected": out.rejected}

        return direct
    if via == "http":
        import httpx

        from yingji.core.demo import DEMO_USERS

        password = password or next((u["password"] for u in DEMO_USERS if u["username"] == username), "")
        client = httpx.Client(base_url=url, timeout=60)
        try:
            r = client.post("/api/v1/auth/token", json={"username": username, "password": password})
        except httpx.HTTPError as exc:
            typer.secho(str(Unreachable.of(url, exc)), fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from None
        if r.status_code != 200:
            typer.secho(
                f"登录 {url} 失败（{r.status_code}）：请确认平台已运行（make run）及账号密码",
                fg=typer.colors.RED,
                err=True,
            )
            raise typer.Exit(1)
        client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"

        def http(batch: list[dict]) -> dict:
            try:
                resp = client.post("/api/v1/monitoring/readings", json=batch)
            except httpx.HTTPError as exc:
                raise Unreachable.of(url, exc) from None
            if resp.status_code != 200:
                raise Unreachable(f"{url} 拒收读数（HTTP {resp.status_code}）：{resp.text[:200]}")
            return resp.json()

        return http
    if via == "mqtt":
        import json
        from urllib.parse import urlparse

        import paho.mqtt.client as mqtt

        target = urlparse(mqtt_url or get_settings().mqtt_url or "mqtt://127.0.0.1:1883")
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        try:
            client.connect(target.hostname or "127.0.0.1", target.port or 1883)
        except OSError as exc:
            typer.secho(f"无法连接 MQTT 服务器 {target.geturl()}：{exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(1) from None
        client.loop_start()

        def publish(batch: list[dict]) -> dict:
            infos = [
                client.publish(
                    f"yingji/readings/{r['sensor']}", json.dumps({"ts": r["ts"], "value": r["value"]}), qos=1
                )
                for r in batch
            ]
            for info in infos:
                info.wait_for_publish(10)
            time.sleep(0)
            return {"accepted": len(batch)}

        return publish
    typer.secho("--via 只能是 http、mqtt 或 direct", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)
