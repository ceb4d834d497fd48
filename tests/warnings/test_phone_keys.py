"""Phones as 64-bit keys for counting different recipients: the joined form parsed in C gives the same
keys as one by one, and anything it cannot parse safely is left to the one-by-one path (None)."""

from __future__ import annotations

import numpy as np

from yingji.warnings.service.phone_keys import joined_keys, keys


def test_joined_phones_give_the_keys_of_one_by_one():
    phones = ["13900000001", "013900000001", "18677001234", "123456789012345678"]  # 18 digits: the longest
    got = joined_keys(len(phones), ",".join(phones))
    assert got is not None and got.tolist() == keys(phones).tolist()
    assert got[0] == got[1] == 13900000001  # one number, two spellings: one key
    assert joined_keys(0, None).size == 0


def test_what_the_joined_form_cannot_parse_safely_is_refused():
    assert joined_keys(2, "+8613900000001,13900000002") is None  # not digits only
    assert joined_keys(2, "139 0000 0001,13900000002") is None
    assert joined_keys(2, "1390000000１,13900000002") is None  # a full-width digit
    assert joined_keys(3, "13900000001,,13900000002") is None  # an empty phone
    assert joined_keys(2, "13900000001,13900000002,13900000003") is None  # a comma inside a phone
    assert joined_keys(2, "1234567890123456789,13900000002") is None  # 19 digits: not a 64-bit number
    assert joined_keys(1, "") is None


def test_other_spellings_are_keyed_by_their_text_one_by_one():
    odd = keys(["+8613900000001", "+8613900000001", "13900000001"])
    assert odd[0] == odd[1] != odd[2]
    assert isinstance(odd, np.ndarray) and odd.dtype == np.int64
