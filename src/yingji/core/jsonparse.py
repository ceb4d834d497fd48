"""JSON from outside (request bodies, MQTT payloads, form fields) parsed without surprises: malformed or
absurdly nested JSON is a ``ValidationFailed`` naming the field, never a ``RecursionError`` (a 500, or a lost
MQTT batch). Python's parser recurses once per level, so 100,000 nested brackets exhaust the stack.

``loads_items`` reads a top-level array element by element when the whole will not parse, so that one
element nested too deep costs only itself: it comes back as ``Unreadable`` with its reason, in its place."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from yingji.core.errors import invalid

TOO_DEEP = "JSON 嵌套过深"
_WS = re.compile(r"[ \t\n\r]*")
# A JSON string (skipped whole, so brackets inside it do not count) or one bracket.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class Unreadable:
    """An element of a JSON array that could not be read by itself."""

    reason: str

    def __repr__(self) -> str:
        return f"<{self.reason}>"


def _text(data: bytes | str, field: str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid(field, "不是 UTF-8 编码的 JSON") from None


def loads(data: bytes | str, *, field: str = "body", message: str = "不是合法的 JSON") -> Any:
    """The parsed JSON, or ``ValidationFailed`` naming ``field``."""
    text = _text(data, field)
    try:
        return json.loads(text)
    except RecursionError:
        raise invalid(field, TOO_DEEP) from None
    except ValueError:
        raise invalid(field, message) from None


def loads_items(data: bytes | str, *, field: str = "body", message: str = "不是合法的 JSON") -> Any:
    """Like ``loads``; but a top-level array with elements nested too deep still parses, those elements
    replaced by ``Unreadable(TOO_DEEP)``."""
    text = _text(data, field)
    try:
        return json.loads(text)
    except RecursionError:
        pass
    except ValueError:
        raise invalid(field, message) from None
    i = _WS.match(text, 0).end()
    if not text.startswith("[", i):
        raise invalid(field, TOO_DEEP)
    try:
        return _elements(text, i + 1)
    except (ValueError, IndexError):
        raise invalid(field, message) from None


def _elements(text: str, i: int) -> list[Any]:
    items: list[Any] = []
    i = _WS.match(text, i).end()
    if text[i] == "]":
        return items
    while True:
        try:
            value, i = _DECODER.raw_decode(text, i)
        except RecursionError:
            value, i = Unreadable(TOO_DEEP), _skip(text, i)
        items.append(value)
        i = _WS.match(text, i).end()
        if text[i] == ",":
            i = _WS.match(text, i + 1).end()
            continue
        if text[i] == "]" and not text[i + 1 :].strip(" \t\n\r"):
            return items
        raise ValueError("unexpected character")


def _skip(text: str, i: int) -> int:
    """The end of the array or object that starts at ``i``, found without recursion."""
    depth = 0
    for token in _TOKEN.finditer(text, i):
        t = token.group()
        if t in "[{":
            depth += 1
        elif t in "]}":
            depth -= 1
            if depth == 0:
                return token.end()
    raise ValueError("unterminated")
