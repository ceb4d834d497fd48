"""The three notice tables of monitoring, risk and resources move into the shared inbox when a database
at the heads before it upgrades, with their rows — and back again on the way down — on SQLite and
PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from tests.conftest import pg_schema
from yingji.bootstrap import load_models
from yingji.core import notices
from yingji.core.db import UTCDateTime, make_engine
from yingji.core.migrate import downgrade, upgrade
from yingji.core.pagination import PageParams

PG_URL = os.environ.get("YINGJI_TEST_DATABASE_URL", "")
# The heads of the branches holding the old tables, as they were before the inbox.
BEFORE = ("foundation_0003_events", "monitoring_0002", "risk_0001", "resources_0001")
TOWN = "450206000000/450206100000"
OTHER_TOWN = "450206000000/450206101000"
T1 = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
T2 = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'notices.db'}"
        return
    if not PG_URL:
        pytest.skip("YINGJI_TEST_DATABASE_URL not set")
    with pg_schema("nm") as u:
        yield u


@dataclass
class Person:
    id: int
    role: str
    scope_path: str | None = None
    enterprise_id: int | None = None
    username: str = "x"

    def can(self, permission: str) -> bool:
        return True


def _insert(conn, table: str, **values) -> None:
    cols = [sa.column(k, UTCDateTime() if isinstance(v, datetime) else None) for k, v in values.items()]
    conn.execute(sa.table(table, *cols).insert().values(**values))


def _rows(conn, name: str) -> list:
    return list(conn.execute(sa.text(f"SELECT * FROM {name} ORDER BY id")).mappings())


def _alarm(conn, id: int, state: str, region: str) -> None:
    _insert(conn, "monitoring_alarms", id=id, group="gas", rule_id=1, rule_version=1, rule_name="可燃气体",
            sensor_id=None, region_path=region, enterprise_id=None, level="red", peak_level="red", state=state,
            message="可燃气体：60%LEL", first_ts=T1, last_ts=T1, hold_s=600, flaps=0, hits=1, opened_at=T1,
            acknowledged_at=T2 if state != "open" else None, updated_at=T1, event_id=id, event_key="")


def _hazard(conn, id: int, status: str) -> None:
    _insert(conn, "risk_hazards", id=id, code=f"YH2026{id:06d}", enterprise_id=None, region_path=TOWN, place="某路口",
            title="护栏缺失", description="", grade="general", source="inspection", status=status, found_at=T1,
            responsible_person="张三", fa_responsibility="", fa_measures="", fa_plan="", supervised=False,
            supervising_unit="", escalation_level=1, created_at=T1, updated_at=T1)


def _seed_old_tables(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        _alarm(conn, 1, "open", TOWN)
        _alarm(conn, 2, "acknowledged", TOWN)
        _insert(conn, "monitoring_alarm_notices", id=1, alarm_id=1, user_id=7, message="红色告警 21 分钟未确认：甲",
                created_at=T1, read_at=T2)
        _insert(conn, "monitoring_alarm_notices", id=2, alarm_id=2, user_id=7, message="红色告警 30 分钟未确认：乙",
                created_at=T2, read_at=None)
        _hazard(conn, 1, "confirmed")
        _hazard(conn, 2, "closed")
        _insert(conn, "risk_notices", id=1, hazard_id=1, kind="overdue_responsible", dedupe_key="202606010200",
                recipient="张三", recipient_phone="13900000000", region_path=TOWN, enterprise_id=None,
                message="隐患逾期提醒：……", created_at=T1)
        _insert(conn, "risk_notices", id=2, hazard_id=2, kind="major_report", dedupe_key="1",
                recipient="区应急管理局", recipient_phone=None, region_path=TOWN, enterprise_id=None,
                message="重大事故隐患报告：……", created_at=T1)
        for wid, path in ((1, TOWN), (2, OTHER_TOWN)):
            _insert(conn, "res_warehouses", id=wid, name=f"{wid}号库", level="township", region_path=path,
                    address="", capacity_m3=1, area_m2=1, manager="李四")
        _insert(conn, "res_alerts", id=1, key="resources.stock_alert:reorder:1:5:2026-06-01", kind="reorder",
                warehouse_id=1, region_path=TOWN, message="1号库：帐篷库存 7顶，低于储备下限 10顶", created_at=T1)
        _insert(conn, "res_alerts", id=2, key="resources.stock_alert:expiry:1:9", kind="expiry", warehouse_id=1,
                region_path=TOWN, message="1号库：方便面批次 B9 已过期", created_at=T1, acknowledged_at=T2)
        _insert(conn, "res_alerts", id=3, key="resources.stock_alert:reorder:2:5:2026-06-01", kind="reorder",
                warehouse_id=2, region_path=OTHER_TOWN, message="2号库：帐篷库存不足", created_at=T2)
    engine.dispose()


def test_old_notice_tables_move_into_the_inbox_and_back(url: str) -> None:
    load_models()
    for revision in BEFORE:
        upgrade(url, revision)
    _seed_old_tables(url)

    upgrade(url)  # every head, as `yingji db upgrade` does
    engine = make_engine(url)
    assert not {"monitoring_alarm_notices", "risk_notices", "res_alerts"} & set(inspect(engine).get_table_names())
    with Session(engine) as db:
        moved = {(n.source, n.kind, n.ref_id): n for n in db.scalars(sa.select(notices.Notice))}
        assert len(moved) == 7
        esc = moved["monitoring", "alarm_escalated", 1]
        assert (esc.recipient_id, esc.body, esc.link, esc.closed_at) == (7, "红色告警 21 分钟未确认：甲",
                                                                         "/monitoring/alarms/1", None)
        assert moved["monitoring", "alarm_escalated", 2].closed_at == T2  # acknowledged meanwhile
        overdue = moved["risk", "overdue_responsible", 1]
        assert (overdue.addressee, overdue.closed_at, overdue.dedupe_key) == (
            "张三", None, "risk:hazard:1:overdue_responsible:202606010200")
        assert overdue.role_list == ["enterprise_manager", "township_officer"]
        assert moved["risk", "major_report", 2].closed_at is not None  # the hazard was closed (销号)
        reorder = moved["resources", "reorder", 1]
        assert (reorder.dedupe_key, reorder.region_path, reorder.closed_at) == (
            "resources.stock_alert:reorder:1:5:2026-06-01", TOWN, None)
        assert moved["resources", "expiry", 1].closed_at == T2  # acknowledged

        # What each person now finds in their 待办.
        def open_items(person: Person) -> list[tuple[str, str, int]]:
            rows, _ = notices.inbox(db, actor=person, page=PageParams(page_size=50))
            return sorted((i.notice.source, i.notice.kind, i.notice.ref_id) for i in rows)

        leader = Person(7, "leader")
        [mine] = notices.inbox(db, actor=leader, page=PageParams())[0]
        assert mine.notice.ref_id == 1 and mine.read_at == T2  # read before stays read
        assert open_items(Person(8, "leader")) == []  # the escalation was addressed to user 7 only
        assert open_items(Person(9, "township_officer", TOWN)) == [
            ("resources", "reorder", 1), ("risk", "overdue_responsible", 1)]
        assert open_items(Person(10, "township_officer", OTHER_TOWN)) == [("resources", "reorder", 2)]
        assert open_items(Person(11, "duty_officer")) == [("resources", "reorder", 1), ("resources", "reorder", 2)]
    engine.dispose()

    downgrade(url, "foundation_0003_events")  # takes the three capability revisions down with it
    engine = make_engine(url)
    with engine.connect() as conn:
        assert "notices" not in inspect(conn).get_table_names()
        back = _rows(conn, "monitoring_alarm_notices")
        assert [(r["alarm_id"], r["user_id"], r["message"]) for r in back] == [
            (1, 7, "红色告警 21 分钟未确认：甲"), (2, 7, "红色告警 30 分钟未确认：乙")]
        assert [(r["hazard_id"], r["kind"], r["dedupe_key"], r["recipient"]) for r in _rows(conn, "risk_notices")] == [
            (1, "overdue_responsible", "202606010200", "张三"), (2, "major_report", "1", "区应急管理局")]
        assert [(r["key"], r["acknowledged_at"] is not None) for r in _rows(conn, "res_alerts")] == [
            ("resources.stock_alert:reorder:1:5:2026-06-01", False), ("resources.stock_alert:expiry:1:9", True),
            ("resources.stock_alert:reorder:2:5:2026-06-01", False)]
    engine.dispose()
    upgrade(url)  # and up again, with the rows just restored
    engine = make_engine(url)
    with Session(engine) as db:
        assert db.scalar(sa.select(sa.func.count()).select_from(notices.Notice)) == 7
    engine.dispose()
