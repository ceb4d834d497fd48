"""Loading a warning within the actor's scope, and the scope condition for lists."""

from __future__ import annotations

from typing import Any

from sqlalchemy import literal, or_
from sqlalchemy.orm import Session

from yingji.core.actor import Actor, load_in_scope, region_in_scope, scope_condition
from yingji.warnings.models import WarningMessage


def visible(actor: Actor) -> Any:
    """A warning is visible when its area lies in the actor's region, or covers it (a district-wide
    warning is visible to every township). Enterprise-scoped actors hold no warning permission."""
    cond = scope_condition(actor, WarningMessage.region_path)
    if actor.scope_path and actor.enterprise_id is None:
        cond = or_(cond, literal(actor.scope_path).like(WarningMessage.region_path + "/%"))
    return cond


def can_see(actor: Actor, w: WarningMessage) -> bool:
    if region_in_scope(actor, w.region_path):
        return True
    return bool(actor.scope_path and actor.enterprise_id is None and actor.scope_path.startswith(w.region_path + "/"))


def load(db: Session, actor: Actor, warning_id: int, *, permission: str = "warnings.read") -> WarningMessage:
    return load_in_scope(db, actor, WarningMessage, warning_id, what="预警", permission=permission, visible=can_see)
