"""Which subscribers' phones have no other row (``Subscriber.phone_alone``). The count of different phones
in an area (``recipients.count_subscribed``) counts such rows by the index alone and reads and compares
only the phones of the others: most residents sign up once, and reading every phone was most of the count.

What must hold: ``phone_alone`` is true only while no other row of the table has the same phone as a key
(``phone_keys.phone_key``: "0139…" and "139…" are one number). False is always safe, the row's phone is
then compared with the others. A sign-up settles its phone's rows under a lock on that phone
(``lock``, ``settle``); a bulk load (the demo district, a benchmark) settles every row (``settle_all``)."""

from __future__ import annotations

import zlib

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from yingji.warnings.models import Subscriber

PHONE_LENGTH = 20  # Subscriber.phone's column
_LOCKS = 0x594A  # the first key of the sign-up's advisory locks on PostgreSQL (one space of our own)


def spellings(phone: str) -> list[str]:
    """Every digit-only spelling with the key of ``phone`` (digits only): with its leading zeros added or
    taken away, as long as the column allows."""
    bare = phone.lstrip("0")
    return ["0" * n + bare for n in range(PHONE_LENGTH - len(bare) + 1)]


def _keyed(phone: str) -> bool:  # a number as its key; any other spelling is keyed by its hash
    return phone.isdigit() and len(phone) < 19


def lock(db: Session, phone: str) -> None:
    """Before a sign-up reads the rows of ``phone``: two sign-ups of one phone at the same moment take
    turns, so that the second sees the first's rows (PostgreSQL; on SQLite every writing transaction
    already holds the database's write lock from its start). Held until the transaction ends."""
    if db.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(phone.lstrip("0").encode()) - 2**31  # an int4; two phones sharing one wait in turn
        db.execute(text("SELECT pg_advisory_xact_lock(:space, :key)"), {"space": _LOCKS, "key": key})


def settle(db: Session, phone: str) -> None:
    """After a sign-up's rows of ``phone`` are flushed: ``phone_alone`` of every row with its key, true
    when there is one such row."""
    same = Subscriber.phone.in_(spellings(phone)) if _keyed(phone) else Subscriber.phone == phone
    alone = _keyed(phone) and db.scalar(select(func.count()).select_from(Subscriber).where(same)) == 1
    table = Subscriber.__table__
    db.execute(update(table).where(same, table.c.phone_alone != alone).values(phone_alone=alone))


_DIGITS = {"sqlite": "phone NOT GLOB '*[^0-9]*'", "postgresql": "phone ~ '^[0-9]*$'"}


def settle_all_sql(dialect: str) -> str:
    """``settle`` for every row in one statement (also run by the migration that adds the column): a row
    is alone when its phone is a number of 1 to 18 digits and no other row's phone is the same number."""
    keyed = f"{_DIGITS[dialect]} AND length(phone) BETWEEN 1 AND 18"
    alone = (f"({keyed} AND ltrim(phone, '0') IN (SELECT ltrim(phone, '0') FROM warning_subscribers"
             f" WHERE {keyed} GROUP BY ltrim(phone, '0') HAVING count(*) = 1))")
    # Only the rows whose value changes are written (on PostgreSQL each update leaves a dead row behind).
    return f"UPDATE warning_subscribers SET phone_alone = {alone} WHERE phone_alone <> {alone}"


def settle_all(db: Session) -> None:
    db.execute(text(settle_all_sql(db.get_bind().dialect.name)))
