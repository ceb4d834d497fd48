"""The duty room: the roster imported from Excel all or nothing (the bad row named), who is on duty at an
instant (the duty day starts at 08:30 Beijing), and a handover carrying the open items."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook

from yingji.core.actor import SYSTEM
from yingji.core.errors import ValidationFailed
from yingji.incidents import service
from yingji.incidents.models import DutyAssignment

HEADER = ["日期", "岗位", "姓名", "电话", "镇（街道）", "平台账号"]


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ROWS = [
    [date(2031, 3, 1), "带班领导", "覃华", "13877001122", None],
    [date(2031, 3, 1), "值班员", "韦明", "13877001133", None],
    [date(2031, 3, 1), "镇街值班", "莫兰", "0772-7212345", "拉堡镇"],
    [date(2031, 3, 2), "带班领导", "黄磊", "13877001144", None],
]


def test_roster_import_and_who_is_on_duty(db) -> None:
    assert service.import_roster(db=db, actor=SYSTEM, data=xlsx(ROWS)) == {"days": 2, "rows": 4}
    # 08:00 Beijing on 2 March is still the shift of 1 March; 08:30 starts 2 March's.
    early = service.on_duty_now(db, now=datetime(2031, 3, 2, 0, 0, tzinfo=UTC))
    assert [a.name for a in early.leaders] == ["覃华"] and [a.name for a in early.officers] == ["韦明"]
    assert [(a.name, a.region_name) for a in early.townships] == [("莫兰", "拉堡镇")]
    late = service.on_duty_now(db, now=datetime(2031, 3, 2, 0, 30, tzinfo=UTC))
    assert late.day == date(2031, 3, 2) and [a.name for a in late.leaders] == ["黄磊"]


def test_a_second_import_replaces_the_days_it_names(db) -> None:
    service.import_roster(db=db, actor=SYSTEM, data=xlsx(ROWS))
    service.import_roster(db=db, actor=SYSTEM, data=xlsx([[date(2031, 3, 1), "带班领导", "蓝芳", "13877001155", None]]))
    day1 = db.query(DutyAssignment).filter(DutyAssignment.day == date(2031, 3, 1)).all()
    assert [a.name for a in day1] == ["蓝芳"]
    assert db.query(DutyAssignment).filter(DutyAssignment.day == date(2031, 3, 2)).count() == 1


@pytest.mark.parametrize(
    ("bad", "named"),
    [
        ([date(2031, 3, 3), "值班员", "张三", "12345", None], "第4行 电话"),
        ([date(2031, 3, 3), "镇街值班", "李四", "13877001166", "火星镇"], "第4行 镇（街道）"),
        ([date(2031, 3, 3), "门卫", "王五", "13877001166", None], "第4行 岗位"),
    ],
)
def test_one_bad_row_imports_none_and_names_the_row(db, bad, named) -> None:
    before = db.query(DutyAssignment).count()
    rows = [ROWS[0], ROWS[1], bad]
    with pytest.raises(ValidationFailed) as err:
        service.import_roster(db=db, actor=SYSTEM, data=xlsx(rows))
    assert [d.field for d in err.value.details] == [named]
    assert db.query(DutyAssignment).count() == before


def test_handover_carries_the_open_items(db) -> None:
    a = service.add_item(db=db, actor=SYSTEM, text="跟踪拉堡镇滑坡群众转移")
    b = service.add_item(db=db, actor=SYSTEM, text="回复市局值班室核实电话")
    handover = service.hand_over(db=db, actor=SYSTEM, to_name="韦明", close_ids=[b.id], new_items=["明晨复核雨量"])
    open_now = service.open_items(db)
    assert a.id in handover.carried_item_ids and b.id not in handover.carried_item_ids
    assert {i.text for i in open_now} >= {"跟踪拉堡镇滑坡群众转移", "明晨复核雨量"}
    assert a.carried == 1 and b.closed_at is not None
    with pytest.raises(ValidationFailed):
        service.hand_over(db=db, actor=SYSTEM, to_name="韦明", close_ids=[b.id])  # already closed


def test_roster_names_the_accounts_that_get_the_notices(db) -> None:
    from yingji.accounts.models import User

    duty_id = db.query(User).filter(User.username == "duty").one().id
    rows = [[date(2031, 4, 1), "值班员", "韦明", "13877001133", None, "duty"]]
    service.import_roster(db=db, actor=SYSTEM, data=xlsx(rows))
    shift = service.shift_of(db, date(2031, 4, 1))
    assert [a.user_id for a in shift.officers] == [duty_id]
    with pytest.raises(ValidationFailed) as err:
        service.import_roster(db=db, actor=SYSTEM, data=xlsx([[*rows[0][:5], "nobody"]]))
    assert [d.field for d in err.value.details] == ["第2行 平台账号"]
