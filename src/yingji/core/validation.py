"""Field rules every capability shares: mainland phone numbers and WGS84 coordinates, as plain
functions and as Pydantic field types."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, Field, GetJsonSchemaHandler
from pydantic_core import CoreSchema

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?[1-9]\d{6,7}$")


def normalize_phone(raw: str) -> str | None:
    """A mainland mobile (11 digits, 1[3-9]…) or landline (0772-1234567) number in canonical form,
    or None when it is neither. "+86", spaces and hyphens in mobiles are tolerated."""
    phone = raw.strip().replace(" ", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("0086"):
        phone = phone[4:]
    digits = phone.replace("-", "")
    if _MOBILE.match(digits):
        return digits
    if _LANDLINE.match(phone):
        return phone if "-" in phone else phone
    return None


def _phone(value: str) -> str:
    phone = normalize_phone(value)
    if phone is None:
        raise ValueError("电话号码格式不正确（手机 11 位，或固话如 0772-7212345）")
    return phone


# The OpenAPI states the canonical forms (what every client should send); "+86", spaces and hyphens in
# mobiles are tolerated on top, so a number the pattern admits is never refused.
_PHONE_PATTERN = r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[1-9][0-9]{6,7})$"
Phone = Annotated[str, AfterValidator(_phone), Field(json_schema_extra={"pattern": _PHONE_PATTERN})]
Lon = Annotated[float, Field(ge=-180, le=180)]
Lat = Annotated[float, Field(ge=-90, le=90)]


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Stated in the OpenAPI as well, so clients (and the fuzzer) know such text is refused.
_SINGLE_LINE_PATTERN = r"^[^\u0000-\u001f\u007f]*$"


def _single_line(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("不能包含换行、制表符等控制字符")
    return value


# A title or name: one line of text, no control characters (they break exports and list displays).
SingleLine = Annotated[str, AfterValidator(_single_line), Field(json_schema_extra={"pattern": _SINGLE_LINE_PATTERN})]


# Every table's primary key is a 32-bit ``Integer`` column (PostgreSQL int4, SQLite's rowid holds it;
# ``tests/web/test_openapi_schema_says.py`` checks the tables), counted from 1: an id outside 1 … 2^31 − 1
# names no record on any database, so the OpenAPI states the bounds and such an id is refused as input (422
# naming the field) rather than looked up (PostgreSQL cannot even compare it with an int4 column, and past
# ±2^63 SQLite's driver cannot bind it).
INT32_MAX = 2**31 - 1
RecordId = Annotated[int, Field(ge=1, le=INT32_MAX)]


@dataclass(frozen=True)
class StatedCodes:
    """States in the OpenAPI that a text is one of the codes a data table lists (event types, incident
    kinds, rule packs …): ``Annotated[str, StatedCodes(event_types)]``. The codes are read from the table
    when the schema is built, so the schema never drifts from the data; the check itself stays where it is
    (a validator or the service), which refuses with a 422 naming the field and the choices."""

    codes: Callable[[], Iterable[str]]

    def __get_pydantic_json_schema__(self, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        schema = handler(core_schema)
        schema["enum"] = list(self.codes())
        return schema


def stated_codes(codes: Callable[[], Iterable[str]]) -> Any:
    """A text parameter or field whose codes the OpenAPI lists (see ``StatedCodes``)."""
    return Annotated[str, StatedCodes(codes)]


class Stated:
    """States bounds in the OpenAPI that the service checks itself, with its own reason naming the field:
    ``Annotated[float, Stated(minimum=-180, maximum=180)]`` (the schema says it, the code still refuses)."""

    def __init__(self, **schema: Any) -> None:
        self.schema = schema

    def __get_pydantic_json_schema__(self, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        schema = handler(core_schema)
        schema.update(self.schema)
        return schema
