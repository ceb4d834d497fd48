"""Random inspection draws (双随机) over the platform's records, verifiable from their published record.

1. ``commit_draw`` builds the pool (the item's industry, operating enterprises, minus those at their yearly
   cap), the roster (active inspectors) and the conflicts (declared links and last year's inspector of each
   enterprise), makes a secret seed and stores the commitment: the seed's SHA-256 and the hashes of every
   input. The commitment is public at once (``/public/enforcement``); the seed and inputs are not.
2. ``perform_draw`` runs algorithm ``hmac-sha256-rank/1`` (``enforcement.draw``) with that seed; the record is
   then public in full, seed included, and ``yingji enforcement verify-draw FILE`` re-runs it.
3. A draw is never redone in place: ``redraw`` marks it superseded and commits a new one with a fresh
   seed, pointing at it with the reason; both stay published.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.core.actor import SYSTEM, Actor, require
from yingji.core.clock import utcnow
from yingji.core.errors import Conflict, NotFound
from yingji.core.events import publish
from yingji.core.pagination import PageParams, paginate
from yingji.enforcement import draw as draw_rules
from yingji.enforcement.enums import ALL_INDUSTRIES, DrawStatus
from yingji.enforcement.events import DrawCommitted, DrawPerformed
from yingji.enforcement.models import Conflict as DeclaredConflict
from yingji.enforcement.models import Draw, EnforceableItem, Inspector
from yingji.enforcement.schemas import DrawCreate, DrawRead, RedrawCreate
from yingji.enforcement.service.common import local_today, township_of
from yingji.enforcement.service.items import ensure_inspectable
from yingji.enforcement.service.roster import cap_for, grades
from yingji.geo import service as geo_service
from yingji.registry import service as registry_service

LAST_YEAR = "上一年度检查过该企业"


def _enterprises(db: Session, *, industry: str, region_code: str | None) -> list[Any]:
    out, page = [], 1
    while True:
        rows, total = registry_service.list_enterprises(
            db=db, actor=SYSTEM, page=PageParams(page=page, page_size=200),
            industry=None if industry == ALL_INDUSTRIES else industry, region_code=region_code)
        out += rows
        if page * 200 >= total:
            return [e for e in out if e.status == "operating"]
        page += 1


def inspections_this_year(db: Session, year: int) -> dict[int, int]:
    """How often each enterprise has been drawn in the year's standing draws (superseded ones do not count)."""
    counts: dict[int, int] = {}
    for result in db.scalars(select(Draw.result).where(Draw.year == year, Draw.status == DrawStatus.drawn)):
        for a in result or []:
            counts[a["enterprise"]] = counts.get(a["enterprise"], 0) + 1
    return counts


def last_year_inspectors(db: Session, year: int) -> set[tuple[int, int]]:
    pairs = set()
    for result in db.scalars(select(Draw.result).where(Draw.year == year - 1, Draw.status == DrawStatus.drawn)):
        for a in result or []:
            pairs |= {(i, a["enterprise"]) for i in a["inspectors"]}
    return pairs


def _inputs(db: Session, *, item: EnforceableItem, data: DrawCreate, year: int) -> tuple[draw_rules.DrawInputs, list]:
    industry = data.industry or item.industry
    enterprises = _enterprises(db, industry=industry, region_code=data.region_code)
    done = inspections_this_year(db, year)
    grade = grades(db, [e.id for e in enterprises])
    pool, excluded = [], []
    for e in enterprises:
        cap = cap_for(db, industry=e.industry, grade=grade.get(e.id, "none"))
        if cap is not None and done.get(e.id, 0) >= cap:
            excluded.append({"id": e.id, "name": e.name,
                             "reason": f"本年度已检查 {done.get(e.id, 0)} 次，达到上限 {cap} 次"})
            continue
        pool.append({"id": e.id, "name": e.name, "township": township_of(e.region_path)})
    inspectors = db.scalars(select(Inspector).where(Inspector.active.is_(True)).order_by(Inspector.id)).all()
    roster = [{"id": i.id, "name": i.name, "township": i.township_path or ""} for i in inspectors]
    ids = {p["id"] for p in pool}
    conflicts = sorted({(c.inspector_id, c.enterprise_id, c.reason)
                        for c in db.scalars(select(DeclaredConflict)) if c.enterprise_id in ids})
    if data.exclude_last_year_inspector:
        declared = {(c[0], c[1]) for c in conflicts}
        conflicts += sorted((i, e, LAST_YEAR) for i, e in last_year_inspectors(db, year)
                            if e in ids and (i, e) not in declared)
    parameters = {"enterprises": data.enterprises, "inspectors_per_enterprise": data.inspectors_per_enterprise,
                  "max_per_inspector": data.max_per_inspector, "exclude_same_township": data.exclude_same_township}
    return draw_rules.DrawInputs(pool, roster, [list(c) for c in conflicts], parameters), excluded


def _next_no(db: Session, year: int) -> str:
    prefix = f"SJ-{year}-"
    taken = db.scalars(select(Draw.draw_no).where(Draw.draw_no.startswith(prefix))).all()
    return f"{prefix}{max((int(t[len(prefix):]) for t in taken), default=0) + 1:03d}"


def commit_draw(*, db: Session, actor: Actor, data: DrawCreate, redraw_of: Draw | None = None,
                reason: str = "", seed: str | None = None) -> Draw:
    """``seed`` is given only by the demo data set, which must come out the same on every load; no request
    can set it: a real draw's seed is secret and random (``secrets``), which is what makes it unforeseeable."""
    require(actor, "enforcement.draws.write")
    item = ensure_inspectable(db, data.item_id)
    year = local_today().year
    inputs, excluded = _inputs(db, item=item, data=data, year=year)
    if data.enterprises > len(inputs.pool):
        raise Conflict(f"抽取 {data.enterprises} 家企业，但抽查对象库只有 {len(inputs.pool)} 家"
                       + (f"（{len(excluded)} 家已达本年度检查上限）" if excluded else ""))
    if len(inputs.roster) < data.inspectors_per_enterprise:
        raise Conflict(f"执法人员名录只有 {len(inputs.roster)} 人，每家企业需 {data.inspectors_per_enterprise} 人")
    seed = seed or secrets.token_hex(32)
    row = Draw(draw_no=_next_no(db, year), title=data.title, item_id=item.id, year=year,
               status=DrawStatus.committed, pool=inputs.pool, roster=inputs.roster, conflicts=inputs.conflicts,
               parameters={**inputs.parameters, "industry": data.industry or item.industry,
                           "region_code": data.region_code,
                           "exclude_last_year_inspector": data.exclude_last_year_inspector},
               excluded=excluded, seed=seed, committed_at=utcnow(), created_by=actor.id,
               commitment=inputs.commitment(draw_rules.sha256_hex(bytes.fromhex(seed))),
               redraw_of=redraw_of.id if redraw_of else None, redraw_reason=reason)
    db.add(row)
    db.flush()
    publish(db, DrawCommitted(draw_id=row.id, draw_no=row.draw_no, seed_sha256=row.commitment["seed_sha256"]))
    return row


def _inputs_of(row: Draw) -> draw_rules.DrawInputs:
    params = {k: row.parameters.get(k) for k in
              ("enterprises", "inspectors_per_enterprise", "max_per_inspector", "exclude_same_township")}
    return draw_rules.DrawInputs(row.pool, row.roster, row.conflicts, params)


def perform_draw(*, db: Session, actor: Actor, draw_id: int) -> Draw:
    require(actor, "enforcement.draws.write")
    row = _get(db, draw_id)
    if row.status != DrawStatus.committed:
        raise Conflict("该次抽取已经进行，不能再抽；如确需重抽，请以新记录重新抽取并说明理由")
    inputs = _inputs_of(row)
    if inputs.commitment(row.commitment["seed_sha256"]) != row.commitment:
        raise Conflict("抽取输入与公布的承诺不符，不能抽取")
    try:
        row.result = draw_rules.run(inputs, row.seed)
    except draw_rules.DrawInfeasible as exc:
        raise Conflict(f"无法完成抽取：{exc}。请调整后重新抽取并说明理由") from exc
    row.status, row.drawn_at = DrawStatus.drawn, utcnow()
    db.flush()
    publish(db, DrawPerformed(draw_id=row.id, draw_no=row.draw_no, enterprises=len(row.result)))
    return row


def redraw(*, db: Session, actor: Actor, draw_id: int, data: RedrawCreate, seed: str | None = None) -> Draw:
    """A new draw replacing this one, with the reason; the old record stays published as superseded."""
    require(actor, "enforcement.draws.write")
    old = _get(db, draw_id)
    if old.status == DrawStatus.superseded:
        raise Conflict("该次抽取已被重新抽取取代，请对最新的一次抽取操作")
    p = old.parameters
    body = DrawCreate(title=old.title, item_id=old.item_id, industry=p.get("industry"),
                      region_code=p.get("region_code"),
                      enterprises=p["enterprises"], inspectors_per_enterprise=p["inspectors_per_enterprise"],
                      max_per_inspector=p.get("max_per_inspector"), exclude_same_township=p["exclude_same_township"],
                      exclude_last_year_inspector=p.get("exclude_last_year_inspector", True))
    old.status = DrawStatus.superseded
    db.flush()
    return commit_draw(db=db, actor=actor, data=body, redraw_of=old, reason=data.reason, seed=seed)


def _get(db: Session, draw_id: int) -> Draw:
    row = db.get(Draw, draw_id)
    if row is None:
        raise NotFound("抽取记录不存在")
    return row


def get_draw(*, db: Session, actor: Actor, draw_id: int) -> Draw:
    require(actor, "enforcement.draws.read")
    return _get(db, draw_id)


def list_draws(*, db: Session, actor: Actor, page: PageParams, year: int | None = None) -> tuple[list[Draw], int]:
    require(actor, "enforcement.draws.read")
    query = select(Draw)
    if year:
        query = query.where(Draw.year == year)
    return paginate(db, query.order_by(Draw.id.desc()), page)


def public_draws(*, db: Session, year: int | None = None) -> list[Draw]:
    """Every draw, for the public page: the commitment at once, the full record once drawn."""
    query = select(Draw).order_by(Draw.id.desc())
    if year:
        query = query.where(Draw.year == year)
    return list(db.scalars(query.limit(500)))


def public_draw(*, db: Session, draw_no: str) -> Draw:
    row = db.scalar(select(Draw).where(Draw.draw_no == draw_no))
    if row is None:
        raise NotFound("抽取记录不存在")
    return row


def revealed(row: Draw) -> bool:
    return row.drawn_at is not None


def view(row: Draw, actor: Actor | None) -> DrawRead:
    """What a reader sees: the full record once drawn (or for the bureau's own staff who run it), before
    that only the commitment and the counts, so that no one learns the pool or roster early."""
    full = revealed(row) or (actor is not None and actor.can("enforcement.draws.write"))
    return DrawRead(id=row.id, draw_no=row.draw_no, title=row.title, item_id=row.item_id, year=row.year,
                    status=row.status, commitment=row.commitment, pool_size=len(row.pool), roster_size=len(row.roster),
                    parameters=row.parameters, committed_at=row.committed_at, drawn_at=row.drawn_at,
                    redraw_of=row.redraw_of, redraw_reason=row.redraw_reason,
                    pool=row.pool if full else None, roster=row.roster if full else None,
                    excluded=row.excluded if full else None, result=row.result if revealed(row) else None)


def record(row: Draw) -> dict[str, Any]:
    """The published record (format ``yingji-draw/1``) that ``yingji enforcement verify-draw`` checks."""
    if not revealed(row):
        raise Conflict("抽取尚未进行，随机种子不公开")
    return {"format": draw_rules.RECORD_FORMAT, "draw_no": row.draw_no, "pool": row.pool, "roster": row.roster,
            "conflicts": row.conflicts, "parameters": _inputs_of(row).parameters, "commitment": row.commitment,
            "seed": row.seed, "result": row.result}


def township_names(db: Session) -> dict[str, str]:
    return {r.path: r.name for r in geo_service.region_infos(db=db, level="township")}
