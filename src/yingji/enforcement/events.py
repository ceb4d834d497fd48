"""Facts the enforcement capability publishes (``core.events``)."""

from __future__ import annotations

from dataclasses import dataclass

from yingji.core.events import DomainEvent


@dataclass(frozen=True)
class ItemPublished(DomainEvent):
    """An enforceable item was published: inspections may now be made under it."""

    item_id: int
    code: str


@dataclass(frozen=True)
class DrawCommitted(DomainEvent):
    """A draw's commitment (seed hash, inputs' hashes) was published before the draw."""

    draw_id: int
    draw_no: str
    seed_sha256: str


@dataclass(frozen=True)
class DrawPerformed(DomainEvent):
    """A draw was performed: the enterprises drawn and the inspectors assigned to each."""

    draw_id: int
    draw_no: str
    enterprises: int  # how many drawn (the assignments are on the record)


@dataclass(frozen=True)
class CaseStepTaken(DomainEvent):
    """A penalty case moved to a step of the procedure."""

    case_id: int
    case_no: str
    step: str
    region_path: str
    enterprise_id: int | None
