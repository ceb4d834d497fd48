"""``phone_alone``: true only for a phone no other row has as the same number, kept so by sign-ups (one at
a time per phone, even at the same moment) and by the bulk settle; the count reads only the others'
phones and still counts different phones."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import insert, select, update

from tests.warnings.fresh import fresh_database
from tests.warnings.helpers import NOW
from tests.warnings.test_targeting import SQUARE, _sub
from yingji.core.clock import utcnow
from yingji.core.errors import TooManyRequests
from yingji.geo import service as geo_service
from yingji.warnings.models import Subscriber
from yingji.warnings.schemas import SubscribeRequest
from yingji.warnings.service import lone_phones, phone_keys, recipients, subscriptions
from yingji.warnings.service.area import parse_area

V1, V2 = "450206106001", "450206106201"  # villages of the shipped district


def test_spellings_of_one_number():
    got = lone_phones.spellings("013900000001")
    assert got[:3] == ["13900000001", "013900000001", "0013900000001"]
    assert len(got) == 10 and max(map(len, got)) == 20  # up to the column's 20 characters


def _alone(db, phones) -> dict[str, bool]:
    rows = db.execute(select(Subscriber.phone, Subscriber.village_code, Subscriber.phone_alone)
                      .where(Subscriber.phone.in_(phones)))
    return {f"{p}@{v}": bool(a) for p, v, a in rows}


def test_settle_all_marks_the_phones_no_other_row_has(db):
    for phone, village in [
        ("19900000301", None),
        ("19900000302", None), ("019900000302", "v1"),  # one number, two spellings
        ("19900000303", "v1"), ("19900000303", "v2"),  # one phone, two villages
        ("+8619900000304", None),  # not digits only: keyed by its hash, never counted unread
        ("1990000030512345678", None),  # 19 digits: not a 64-bit key either
    ]:
        _sub(db, phone, 109.36, 24.265, village=village)
    demo = db.scalar(select(Subscriber.phone).where(Subscriber.phone_alone).limit(1))
    lone_phones.settle_all(db)
    assert _alone(db, ["19900000301", "19900000302", "019900000302", "19900000303", "+8619900000304",
                       "1990000030512345678"]) == {
        "19900000301@None": True, "19900000302@None": False, "019900000302@v1": False,
        "19900000303@v1": False, "19900000303@v2": False, "+8619900000304@None": False,
        "1990000030512345678@None": False,
    }
    assert demo and all(_alone(db, [demo]).values())  # the demo's phones, settled by its seed, stay alone


def test_the_count_reads_only_the_phones_of_rows_not_alone(db, monkeypatch):
    area = parse_area(db=db, area={"polygon": SQUARE})
    before = recipients.count_subscribed(db=db, area=area, event_type="rainstorm")  # the demo's own
    # 20 phones alone, one phone in two villages, one number in two spellings, inside the square's cells
    for i in range(20):
        _sub(db, f"199000004{i:02d}", 109.356 + 0.0004 * i, 24.265)
    _sub(db, "19900000501", 109.36, 24.265, village="v1")
    _sub(db, "19900000501", 109.361, 24.265, village="v2")
    _sub(db, "19900000502", 109.362, 24.266)
    _sub(db, "019900000502", 109.362, 24.264, village="v1")
    lone_phones.settle_all(db)
    parsed: list[int] = []
    real = phone_keys.joined_keys

    def counting(count, joined):
        parsed.append(count)
        return real(count, joined)

    monkeypatch.setattr(phone_keys, "joined_keys", counting)
    assert recipients.count_subscribed(db=db, area=area, event_type="rainstorm") == before + 22
    # the square's cells wholly inside hold rows of the demo and these: only the four not alone are read
    shared_inside = sum(parsed)
    monkeypatch.undo()
    db.execute(update(Subscriber).values(phone_alone=False))  # as if nothing were settled
    parsed_all: list[int] = []
    monkeypatch.setattr(phone_keys, "joined_keys", lambda c, j: (parsed_all.append(c), real(c, j))[1])
    assert recipients.count_subscribed(db=db, area=area, event_type="rainstorm") == before + 22
    assert shared_inside <= 4 < sum(parsed_all)


def _sign_up(db, village: str, phone: str = "13700002222"):
    return subscriptions.subscribe(db=db, data=SubscribeRequest(phone=phone, village_codes=[village]))


def test_a_sign_up_settles_its_phone(db, fixed_clock):
    fixed_clock(NOW)
    _sign_up(db, V1)
    assert _alone(db, ["13700002222"]) == {f"13700002222@{V1}": True}
    fixed_clock(NOW + timedelta(seconds=61))  # the next code may be asked for
    _sign_up(db, V2)  # a second village: two rows of the phone
    assert _alone(db, ["13700002222"]) == {f"13700002222@{V1}": False, f"13700002222@{V2}": False}
    db.execute(insert(Subscriber), [{  # written by another way, with a leading zero
        "phone": "013700003333", "status": "active", "village_code": V1, "event_types": "", "code_attempts": 0,
        "unsubscribe_token": "t-0137", "created_at": utcnow(),
    }])
    fixed_clock(NOW + timedelta(seconds=122))
    _sign_up(db, V2, phone="13700003333")
    assert _alone(db, ["13700003333", "013700003333"]) == {
        f"13700003333@{V2}": False, f"013700003333@{V1}": False}


def test_two_sign_ups_of_one_phone_at_once_take_turns(tmp_path):
    """The second sign-up waits for the first's transaction and then sees its rows (here: its code sent
    less than 60 s ago); had it not waited, each would have found its phone alone."""
    with fresh_database(tmp_path) as (_url, database):
        with database.transaction() as db:
            geo_service.load_shipped_district(db=db)
        first_done, release = threading.Event(), threading.Event()
        outcome: dict[str, object] = {}

        def first():
            with database.transaction() as db:
                _sign_up(db, V1)
                first_done.set()
                release.wait(10)

        def second():
            try:
                with database.transaction() as db:
                    _sign_up(db, V2)
                outcome["second"] = "signed up"
            except TooManyRequests:
                outcome["second"] = "too many requests"

        a = threading.Thread(target=first)
        a.start()
        assert first_done.wait(10)
        b = threading.Thread(target=second)
        b.start()
        b.join(0.5)
        assert b.is_alive(), "the second sign-up did not wait for the first"
        release.set()
        a.join(10)
        b.join(10)
        assert outcome == {"second": "too many requests"}
        with database.transaction() as db:
            assert _alone(db, ["13700002222"]) == {f"13700002222@{V1}": True}


@pytest.mark.parametrize("phone", ["13700004444", "013700004444"])
def test_settle_of_one_phone_and_of_all_agree(db, phone):
    _sub(db, "13700004444", 109.36, 24.265)
    _sub(db, phone, 109.37, 24.265, village="v9")
    lone_phones.settle(db, "13700004444")
    one = _alone(db, ["13700004444", "013700004444"])
    db.execute(update(Subscriber).values(phone_alone=True))  # all wrong: settle_all must mend them
    lone_phones.settle_all(db)
    assert _alone(db, ["13700004444", "013700004444"]) == one == {"13700004444@None": False, f"{phone}@v9": False}
