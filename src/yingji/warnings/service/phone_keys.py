"""Subscribers' phones as 64-bit keys, for counting distinct recipients in numpy: digits-only phones as
their number (converted in C), any other spelling by its hash."""

from __future__ import annotations

import numpy as np


def phone_key(phone: str) -> int:
    return int(phone) if phone.isdigit() and len(phone) < 19 else hash(phone)


def keys(phones: list[str]) -> np.ndarray:
    # Phones of digits only, as numbers, converted in C (the usual case); any other spelling by its hash.
    if phones and "".join(phones).isdigit() and max(map(len, phones)) < 19:
        return np.fromiter(map(int, phones), dtype=np.int64, count=len(phones))
    return np.fromiter(map(phone_key, phones), dtype=np.int64, count=len(phones))


_DIGITS_AND_COMMA = b"0123456789,"


def joined_keys(count: int, joined: str | None) -> np.ndarray | None:
    """The keys of ``count`` phones joined by commas, parsed in C; None unless every one is digits only and
    shorter than 19 (then the caller keys them one by one: a comma in a phone would split it)."""
    if not count:
        return np.empty(0, dtype=np.int64)
    if not joined or not joined.isascii():
        return None
    data = joined.encode("ascii")
    if data.translate(None, _DIGITS_AND_COMMA):  # something else than digits and commas is left
        return None
    raw = np.frombuffer(data, dtype=np.uint8)
    commas = np.flatnonzero(raw == ord(","))
    if commas.size != count - 1:
        return None
    widths = np.diff(np.concatenate(([-1], commas, [raw.size])))
    if widths.min() < 2 or widths.max() > 19:  # an empty phone, or 19 digits and more
        return None
    return np.fromstring(joined, dtype=np.int64, sep=",")
