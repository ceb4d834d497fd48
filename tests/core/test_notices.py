"""The kernel's notices inbox on its own: posting once per key, who sees what (a recipient, or an audience
of roles inside its area or enterprise), closing for everyone, read and done for one user."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from yingji.core import notices
from yingji.core.actor import SYSTEM
from yingji.core.errors import NotFound, ValidationFailed
from yingji.core.pagination import PageParams

TOWN = "450206000000/450206100000"
VILLAGE = TOWN + "/450206100001"


@dataclass
class Person:
    id: int
    role: str
    scope_path: str | None = None
    enterprise_id: int | None = None
    username: str = "p"

    def can(self, permission: str) -> bool:
        return True


def _post(db, key: str, **kw):
    defaults = {"source": "test", "kind": "k", "ref_type": "thing", "ref_id": 1, "title": "待办", "dedupe_key": key}
    return notices.post(db, **{**defaults, **kw})


def _ids(db, person, status="open") -> set[int]:
    rows, total = notices.inbox(db, actor=person, page=PageParams(page_size=500), status=status)
    assert total == len(rows)
    return {i.notice.id for i in rows}


def test_post_is_once_per_key_and_needs_exactly_one_kind_of_audience(db) -> None:
    a, created = _post(db, "t:1", roles=["duty_officer"])
    b, again = _post(db, "t:1", roles=["duty_officer"], title="另一个")
    assert created and not again and a.id == b.id and b.title == "待办"
    with pytest.raises(ValueError):
        _post(db, "t:2")
    with pytest.raises(ValueError):
        _post(db, "t:3", recipient_id=1, roles=["leader"])


def test_an_audience_is_its_roles_inside_their_area(db) -> None:
    village, _ = _post(db, "t:v", roles=["township_officer", "duty_officer"], region_path=VILLAGE)
    elsewhere, _ = _post(db, "t:e", roles=["township_officer"], region_path="450206000000/450206101000/x")
    firm, _ = _post(db, "t:f", roles=["enterprise_manager"], region_path=VILLAGE, enterprise_id=42)
    personal, _ = _post(db, "t:p", recipient_id=5)
    mine = {village.id, elsewhere.id, firm.id, personal.id}
    assert _ids(db, Person(1, "township_officer", TOWN)) & mine == {village.id}
    assert _ids(db, Person(2, "duty_officer")) & mine == {village.id}
    assert _ids(db, Person(3, "leader")) & mine == set()
    assert _ids(db, Person(4, "enterprise_manager", enterprise_id=42)) & mine == {firm.id}
    assert _ids(db, Person(6, "enterprise_manager", enterprise_id=43)) & mine == set()
    assert _ids(db, Person(5, "info_officer", VILLAGE)) & mine == {personal.id}
    assert _ids(db, SYSTEM) == set()


def test_done_is_one_users_closing_is_everyones(db) -> None:
    n, _ = _post(db, "t:d", roles=["duty_officer"])
    a, b = Person(11, "duty_officer"), Person(12, "duty_officer")
    before = notices.unread_count(db, actor=a)
    assert notices.mark_read(db, actor=a, notice_id=n.id).read_at is not None
    assert notices.unread_count(db, actor=a) == before - 1
    assert notices.mark_done(db, actor=a, notice_id=n.id).open is False
    assert n.id not in _ids(db, a) and n.id in _ids(db, a, "done") and n.id in _ids(db, b)
    assert notices.close(db, source="test", ref_type="thing", ref_id=1) >= 1
    assert n.id not in _ids(db, b) and n.id in _ids(db, b, "done")
    assert notices.close(db, source="test", ref_type="thing", ref_id=1) == 0  # nothing left open


def test_close_spares_the_replacement_and_done_for_settles_the_author(db) -> None:
    old, _ = _post(db, "t:old", roles=["leader"], ref_id=2)
    new, _ = _post(db, "t:new", roles=["leader"], ref_id=2, done_for=[21])
    assert notices.close(db, source="test", ref_type="thing", ref_id=2, keep_key="t:new") == 1
    assert old.closed_at is not None and new.closed_at is None
    assert new.id not in _ids(db, Person(21, "leader")) and new.id in _ids(db, Person(22, "leader"))


def test_someone_elses_notice_does_not_exist_for_you(db) -> None:
    n, _ = _post(db, "t:x", recipient_id=31)
    for call in (notices.get, notices.mark_read, notices.mark_done):
        with pytest.raises(NotFound):
            call(db, actor=Person(32, "admin"), notice_id=n.id)
    assert notices.get(db, actor=Person(31, "leader"), notice_id=n.id).read_at is None
    with pytest.raises(ValidationFailed) as err:
        notices.inbox(db, actor=Person(31, "leader"), page=PageParams(), status="later")
    assert err.value.details[0].field == "status"
