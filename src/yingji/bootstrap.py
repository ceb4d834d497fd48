"""The composition root: loads every capability's optional modules and wires the clock and channels.

Capabilities register outbox handlers, event subscribers, scheduled jobs and CLI commands as import side
effects of their ``handlers.py`` / ``subscribers.py`` / ``scheduled.py`` / ``cli.py`` modules (and declare
their facts in ``events.py``); this is the one place that imports them all.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from datetime import datetime
from types import ModuleType
from typing import Any

from yingji import CAPABILITIES
from yingji.core import clock as core_clock


def capability_modules(module: str) -> list[ModuleType]:
    """``yingji.<capability>.<module>`` for every capability that has it, in CAPABILITIES order."""
    found = []
    for cap in CAPABILITIES:
        name = f"yingji.{cap}.{module}"
        if importlib.util.find_spec(f"yingji.{cap}") and importlib.util.find_spec(name):
            found.append(importlib.import_module(name))
    return found


def load_models() -> None:
    """Imports every table so that ``Base.metadata`` is complete (migrations, tests)."""
    importlib.import_module("yingji.core.audit")
    importlib.import_module("yingji.core.outbox")
    importlib.import_module("yingji.core.events")
    importlib.import_module("yingji.core.notices")
    importlib.import_module("yingji.core.layercache")
    importlib.import_module("yingji.core.jobs")
    importlib.import_module("yingji.core.meta")
    importlib.import_module("yingji.core.files")
    importlib.import_module("yingji.core.workdays")
    capability_modules("models")


def bootstrap(*, channels: dict[str, Any] | None = None, clock: Callable[[], datetime] | None = None) -> None:
    """Loads models, outbox handlers and scheduled jobs; installs the clock and the channel adapters.
    Tests pass fakes and a fixed clock here."""
    load_models()
    capability_modules("events")
    capability_modules("handlers")
    capability_modules("subscribers")
    capability_modules("scheduled")
    capability_modules("places")  # place-search providers (geo.places)
    if clock is not None:
        core_clock.set_clock(clock)
    if channels is not None:
        # Handed to the channels capability, which the workers and services ask for their adapters.
        from yingji.channels import service as channels_service

        channels_service.install(channels)


def channels() -> dict[str, Any]:
    from yingji.channels import service as channels_service

    return channels_service.installed()
