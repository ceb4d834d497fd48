from sqlalchemy.orm import Session

from yingji.geo import service


def seed(db: Session, ctx) -> str:
    n = service.load_shipped_district(db=db, name="liujiang")
    counts = service.counts_by_level(db=db)
    return f"{n} 个区域（镇 {counts['township']}，村（社区）{counts['village']}，网格 {counts['grid']}）"
