"""Helpers shared by the risk use cases: where a record is, whose it is, who acts."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core.actor import Actor, ensure_enterprise_in_scope, region_in_scope
from yingji.core.errors import NotFound, PermissionDenied
from yingji.geo import service as geo_service
from yingji.registry import service as registry_service


def actor_name(actor: Actor) -> str:
    return getattr(actor, "display_name", "") or actor.username


def enterprise_in_scope(db: Session, actor: Actor, enterprise_id: int) -> registry_service.EnterpriseInfo:
    """The enterprise, or 404 when it does not exist or lies outside the actor's scope."""
    try:
        info = registry_service.enterprise_info(db=db, enterprise_id=enterprise_id)
    except NotFound:
        raise NotFound("企业不存在", details=[]) from None
    ensure_enterprise_in_scope(actor, info.id, info.region_path)
    return info


def region_for(
    db: Session, *, region_code: str | None, lon: float | None, lat: float | None, field: str = "region_code"
) -> geo_service.RegionInfo:
    """The village or township of a place given by code or by coordinates inside the district."""
    return geo_service.region_of(
        db=db, region_code=region_code, lon=lon, lat=lat, levels=geo_service.TOWNSHIP_OR_VILLAGE, field=field,
        code_levels=("township", "village", "grid"),  # a grid code names a place as precisely as a village
        level_message="请选择到镇（街道）或村（社区）", missing_message="请选择所在镇（街道）/村（社区），或提供经纬度",
        outside_message="该位置不在本区范围内",
    )


def ensure_can_place(actor: Actor, region_path: str) -> None:
    """Creating something at ``region_path``: an area-scoped actor only inside its area."""
    if actor.enterprise_id is not None:
        raise PermissionDenied("企业账号只能登记本企业的数据")
    if not region_in_scope(actor, region_path):
        raise PermissionDenied("只能在本辖区内登记")


def township_path(region_path: str) -> str:
    parts = region_path.split("/")
    return "/".join(parts[:2]) if len(parts) >= 2 else region_path
