"""The yearly inputs the platform does not own (regional GDP, resident population, registered vehicles),
kept in a table the bureau edits: one year at a time or a whole sheet at once (all or nothing, every bad row
named). A figure left empty stays missing: the indicators that need it show as missing, never as zero."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core import excel
from yingji.core.actor import Actor, require
from yingji.core.clock import utcnow
from yingji.core.errors import DomainError, invalid
from yingji.stats.models import YearInput
from yingji.stats.schemas import YearInputWrite
from yingji.stats.service.common import actor_name

YI = Decimal(100_000_000)
MIN_YEAR, MAX_YEAR = 2000, 2100

COLUMNS = [
    excel.Column("year", "年份", "int", required=True, help="如 2023"),
    excel.Column("gdp_yi", "地区生产总值（亿元）", "decimal", help="空着表示未知"),
    excel.Column("population", "常住人口（人）", "int"),
    excel.Column("vehicles", "机动车保有量（辆）", "int"),
    excel.Column("source", "数据来源", help="如 2023年统计公报、公安交管部门"),
]


def list_inputs(*, db: Session, actor: Actor) -> list[YearInput]:
    require(actor, "stats.read")
    return list(db.scalars(select(YearInput).order_by(YearInput.year)))


def inputs_by_year(db: Session) -> dict[int, YearInput]:
    return {r.year: r for r in db.scalars(select(YearInput))}


def _check(year: int, data: YearInputWrite) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise invalid("year", f"年份须在 {MIN_YEAR}–{MAX_YEAR} 之间")


def set_input(*, db: Session, actor: Actor, year: int, data: YearInputWrite, is_demo: bool = False) -> YearInput:
    """Writes one year's inputs (creates the year when absent); an empty figure is stored as missing."""
    require(actor, "stats.inputs")
    _check(year, data)
    row = db.get(YearInput, year)
    if row is None:
        row = YearInput(year=year)
        db.add(row)
    row.gdp_yuan = None if data.gdp_yi is None else (data.gdp_yi * YI).quantize(Decimal("0.01"))
    row.population = data.population
    row.vehicles = data.vehicles
    row.source = data.source
    row.is_demo = is_demo
    row.updated_at = utcnow()
    row.updated_by = actor_name(actor)
    db.flush()
    return row


def template() -> bytes:
    return excel.template(COLUMNS, title="年度基础数据", example={"year": 2023, "gdp_yi": "321.50",
                                                               "population": 505000, "vehicles": 160000,
                                                               "source": "统计公报"})


def export(*, db: Session, actor: Actor) -> bytes:
    rows = [{"year": r.year, "gdp_yi": None if r.gdp_yuan is None else r.gdp_yuan / YI, "population": r.population,
             "vehicles": r.vehicles, "source": r.source} for r in list_inputs(db=db, actor=actor)]
    return excel.export(COLUMNS, rows, title="年度基础数据")


def import_xlsx(*, db: Session, actor: Actor, data: bytes) -> int:
    """Imports a sheet of years: every row is checked, and one bad row stops the whole sheet (the error names
    its row); a year given twice is an error too."""
    require(actor, "stats.inputs")
    rows = excel.read(data, COLUMNS)
    seen: dict[int, int] = {}

    def apply(row: excel.Row) -> YearInput:
        v = row.values
        year = v["year"]
        if year in seen:
            raise invalid("年份", f"{year} 年已在第{seen[year]}行")
        seen[year] = row.number
        try:
            write = YearInputWrite(gdp_yi=v.get("gdp_yi"), population=v.get("population"),
                                   vehicles=v.get("vehicles"), source=v.get("source") or "")
        except ValueError as exc:  # pydantic's checks of the figures
            raise invalid("数值", str(exc).splitlines()[-1] if str(exc) else "数值无效") from None
        return set_input(db=db, actor=actor, year=year, data=write)

    try:
        return len(excel.import_all(rows, apply))
    except DomainError:
        raise
