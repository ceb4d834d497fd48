from sqlalchemy.orm import Session

from yingji.accounts import service
from yingji.accounts.schemas import UserCreate
from yingji.core.actor import SYSTEM
from yingji.geo import service as geo_service


def seed(db: Session, ctx) -> str:
    from yingji.core.demo import DEMO_USERS

    made = []
    for spec in DEMO_USERS:
        region_code, enterprise_id = None, None
        if "region" in spec:
            level, index = spec["region"].split(":")
            region_code = geo_service.region_infos(db=db, level=level)[int(index)].code
        if "enterprise" in spec:
            industry, index = spec["enterprise"].split(":")
            enterprise_id = ctx.created["enterprises"][industry][int(index)]
        user = service.create_user(
            db=db,
            actor=SYSTEM,
            data=UserCreate(
                username=spec["username"],
                password=spec["password"],
                role=spec["role"],
                display_name=spec["display_name"],
                region_code=region_code,
                enterprise_id=enterprise_id,
            ),
        )
        made.append(user.username)
    return f"{len(made)} 个演示账号：{', '.join(made)}"
