"""The status of a dispatch order (调度指令): sent → acknowledged → en route → on scene → released.

The receiver acknowledges (收到), sets out (出发), arrives (到场); the command releases it (解除) at any
point once sent, a team recalled before it arrives included. No step is skipped or taken back, and a
released order is finished: an illegal step is refused with the reason (409)."""

from __future__ import annotations

from yingji.core.errors import Conflict

ORDER = ("sent", "acknowledged", "en_route", "on_scene", "released")
LABELS = {"sent": "已下达", "acknowledged": "已签收", "en_route": "出发途中", "on_scene": "已到场",
          "released": "已解除"}
ACTION_LABELS = {"acknowledged": "签收", "en_route": "出发", "on_scene": "到场", "released": "解除"}
# The receiver's own steps; release is the command's.
RECEIVER_STEPS = ("acknowledged", "en_route", "on_scene")


def next_steps(status: str) -> tuple[str, ...]:
    """The statuses an order in ``status`` may move to."""
    if status == "released":
        return ()
    following = ORDER[ORDER.index(status) + 1]
    return (following,) if following == "released" else (following, "released")


def check(status: str, to: str) -> None:
    if to not in ORDER or to == "sent":
        raise Conflict(f"未知的指令状态：{to}")
    if status == "released":
        raise Conflict("指令已解除，不能再变更状态")
    if to in next_steps(status):
        return
    if to == status:
        raise Conflict(f"指令已是“{LABELS[status]}”状态")
    if ORDER.index(to) < ORDER.index(status):
        raise Conflict(f"指令已{LABELS[status]}，不能退回“{LABELS[to]}”")
    missing = ORDER[ORDER.index(status) + 1]
    raise Conflict(f"指令当前为“{LABELS[status]}”，须先{ACTION_LABELS[missing]}，才能{ACTION_LABELS[to]}")
