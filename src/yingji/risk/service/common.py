"""Helpers shared by the risk use cases: where a record is, whose it is, who acts."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core.actor import Actor, ensure_enterprise_in_scope, region_in_scope
from yingji.core.errors import NotFound, PermissionDenied, invalid
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
    if region_code:
        try:
            region = geo_service.region_info(db=db, code=region_code)
        except NotFound:
            raise invalid(field, f"区域 {region_code} 不存在") from None
        if region.level == "district":
            raise invalid(field, "请选择到镇（街道）或村（社区）")
        return region
    if lon is None or lat is None:
        raise invalid(field, "请选择所在镇（街道）/村（社区），或提供经纬度")
    hits = [r for r in geo_service.locate(db=db, lon=lon, lat=lat) if r.level in ("township", "village")]
    if not hits:
        raise invalid("lon", "该位置不在本区范围内")
    return hits[-1]


def ensure_can_place(actor: Actor, region_path: str) -> None:
    """Creating something at ``region_path``: an area-scoped actor only inside its area."""
    if actor.enterprise_id is not None:
        raise PermissionDenied("企业账号只能登记本企业的数据")
    if not region_in_scope(actor, region_path):
        raise PermissionDenied("只能在本辖区内登记")


def township_path(region_path: str) -> str:
    parts = region_path.split("/")
    return "/".join(parts[:2]) if len(parts) >= 2 else region_path
