"""Alarm rules, their versions and the built-in rule packs (service.rules)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from yingji.core.pagination import Page
from yingji.core.validation import RecordId, stated_codes
from yingji.monitoring import service
from yingji.monitoring.schemas import (
    RuleCreate,
    RuleRead,
    RuleUpdate,
)
from yingji.monitoring.standards import rule_packs
from yingji.web.deps import ApiUser, DbSession, Paging

router = APIRouter()


@router.get("/rules", response_model=Page[RuleRead])
def list_rules(
    db: DbSession, user: ApiUser, paging: Paging, kind: str | None = None, sensor_kind: str | None = None
) -> Page[RuleRead]:
    return Page.sliced(service.list_rules(db=db, actor=user, kind=kind, sensor_kind=sensor_kind), paging, RuleRead)


@router.post("/rules", response_model=RuleRead, status_code=201)
def create_rule(body: RuleCreate, db: DbSession, user: ApiUser) -> RuleRead:
    return RuleRead.model_validate(service.create_rule(db=db, actor=user, data=body))


@router.patch("/rules/{rule_id}", response_model=RuleRead)
def update_rule(rule_id: RecordId, body: RuleUpdate, db: DbSession, user: ApiUser) -> RuleRead:
    return RuleRead.model_validate(service.update_rule(db=db, actor=user, rule_id=rule_id, data=body))


@router.get("/rules/{rule_id}/versions")
def rule_versions(rule_id: RecordId, db: DbSession, user: ApiUser, paging: Paging) -> Page[dict[str, Any]]:
    rows = [
        {"version": v.version, "snapshot": v.snapshot, "changed_by": v.changed_by, "changed_at": v.changed_at}
        for v in service.rule_versions(db=db, actor=user, rule_id=rule_id)
    ]
    return Page.sliced(rows, paging)


@router.post("/rule-packs/{pack}", response_model=list[RuleRead])
def install_pack(pack: stated_codes(rule_packs), db: DbSession, user: ApiUser) -> list[RuleRead]:
    return [RuleRead.model_validate(r) for r in service.install_pack(db=db, actor=user, pack=pack)]
