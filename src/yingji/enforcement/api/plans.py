"""The annual enforcement plan (年度执法计划) and the untrustworthy list (失信名单) with its map layer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from yingji.core.actor import require
from yingji.core.pagination import Page
from yingji.core.validation import RecordId
from yingji.enforcement.schemas import (
    ListingCreate,
    ListingDecision,
    ListingRead,
    ListingRepair,
    PlanCreate,
    PlanRead,
)
from yingji.enforcement.service import credit, plans
from yingji.web import downloads
from yingji.web.deps import ApiUser, DbSession, Paging
from yingji.web.layers import layer_response

router = APIRouter()


# --- the annual plan -------------------------------------------------------------------------------


@router.get("/plans", response_model=Page[PlanRead])
def list_plans(db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced(plans.list_plans(db=db, actor=user), paging, PlanRead)


@router.post("/plans", response_model=PlanRead, status_code=201)
def draft_plan(body: PlanCreate, db: DbSession, user: ApiUser) -> Any:
    """A draft of the year's plan, computed from risk levels, grades, credit, caps and the inspectors' days."""
    return plans.draft_plan(db=db, actor=user, data=body)


@router.get("/plans/{plan_id}", response_model=PlanRead)
def get_plan(plan_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return plans.get_plan(db=db, actor=user, plan_id=plan_id)


@router.get("/plans/{plan_id}/plan.xlsx")
def export_plan(plan_id: RecordId, db: DbSession, user: ApiUser) -> Response:
    return downloads.xlsx(plans.export_plan(plans.get_plan(db=db, actor=user, plan_id=plan_id)), f"plan-{plan_id}.xlsx")


@router.post("/plans/{plan_id}/publish", response_model=PlanRead)
def publish_plan(plan_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return plans.publish_plan(db=db, actor=user, plan_id=plan_id)


# --- the untrustworthy list ------------------------------------------------------------------------


def listing_read(row: Any) -> ListingRead:
    v = credit.view(row)
    return ListingRead(id=row.id, enterprise_id=row.enterprise_id, party_name=row.party_name, uscc=row.uscc,
                       ground=row.ground, ground_label=v.ground_label, case_id=row.case_id, facts=row.facts,
                       state=v.state, state_label=v.label, notice_no=row.notice_no, noticed_at=row.noticed_at,
                       decision_no=row.decision_no, listed_at=row.listed_at, ends_at=row.ends_at,
                       repair_from=v.repair_from, removed_at=row.removed_at, repair_evidence=row.repair_evidence)


@router.get("/listings", response_model=Page[ListingRead])
def list_listings(db: DbSession, user: ApiUser, paging: Paging) -> Any:
    return Page.sliced([listing_read(r) for r in credit.list_listings(db=db, actor=user)], paging)


@router.get("/listings.xlsx")
def export_listings(db: DbSession, user: ApiUser, all: bool = False) -> Response:
    """The list for joint punishment (联合惩戒): the entries listed now, or every decided one with ``all``."""
    return downloads.xlsx(credit.export_listings(db=db, actor=user, current_only=not all), "untrustworthy.xlsx")


@router.post("/listings", response_model=ListingRead, status_code=201)
def give_notice(body: ListingCreate, db: DbSession, user: ApiUser) -> Any:
    """列入前告知, on one of the rules' cases and a decided penalty case of the enterprise."""
    return listing_read(credit.give_notice(db=db, actor=user, data=body))


@router.get("/listings/{listing_id}", response_model=ListingRead)
def get_listing(listing_id: RecordId, db: DbSession, user: ApiUser) -> Any:
    return listing_read(credit.get_listing(db=db, actor=user, listing_id=listing_id))


@router.post("/listings/{listing_id}/decision", response_model=ListingRead)
def decide_listing(listing_id: RecordId, body: ListingDecision, db: DbSession, user: ApiUser) -> Any:
    """The listing decision; 409 before the party's window to state its case has passed."""
    return listing_read(credit.decide(db=db, actor=user, listing_id=listing_id, data=body))


@router.post("/listings/{listing_id}/repair", response_model=ListingRead)
def repair_listing(listing_id: RecordId, body: ListingRepair, db: DbSession, user: ApiUser) -> Any:
    """信用修复: early removal with the evidence; 409 before 12 months on the list."""
    return listing_read(credit.repair(db=db, actor=user, listing_id=listing_id, data=body))


@router.get("/map/listed", response_class=Response, responses={200: {"content": {"application/geo+json": {}}}})
def listed_map(request: Request, db: DbSession, user: ApiUser) -> Response:
    """The enterprises on the untrustworthy list now, as GeoJSON points (the 一张图 layer); with an ETag
    (``If-None-Match`` → 304) until a listing or an enterprise is written or the first listing ends."""
    require(user, "enforcement.read")
    return layer_response(request, db, user, layer="enforcement.listed", reads=credit.MAP_READS,
                          build=lambda: credit.map_layer(db=db, actor=user),
                          valid_s=lambda _layer: credit.seconds_to_next_end(db))
