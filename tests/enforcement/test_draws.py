"""Random draws over the platform's records (issue 14 point 4) and their publicity (point 7): the seed's hash
published before the draw with the inputs' hashes, the record re-run from the public page by the CLI,
conflicts (declared, last year's inspector, same township) and yearly caps respected, and a redraw only as
a new record with its reason, both published."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select
from typer.testing import CliRunner

from tests.enforcement.helpers import item
from yingji.cli import app as cli_app
from yingji.core.actor import SYSTEM
from yingji.enforcement.models import Draw, InspectionCap
from yingji.enforcement.schemas import DrawCreate
from yingji.enforcement.service import draws
from yingji.registry.models import Enterprise

DRAWS = "/api/v1/enforcement/draws"


def _fireworks(db) -> list[Enterprise]:
    return list(db.scalars(select(Enterprise).where(Enterprise.industry == "fireworks",
                                                    Enterprise.status == "operating")))


def _commit(api, db, **extra):
    body = {"title": "烟花爆竹双随机抽查（测试）", "item_id": extra.pop("item_id"), "enterprises": 2, **extra}
    r = api("duty").post(DRAWS, json=body)
    assert r.status_code == 201, r.text
    return r.json()


def test_the_commitment_is_public_before_the_draw_and_the_record_verifies_after(api, client, db, tmp_path) -> None:
    target = item(db)
    db.commit()
    committed = _commit(api, db, item_id=target.id)
    assert committed["status"] == "committed" and committed["result"] is None
    row = db.get(Draw, committed["id"])
    # the published hash is the SHA-256 of the seed's bytes, computed here independently
    assert committed["commitment"]["seed_sha256"] == hashlib.sha256(bytes.fromhex(row.seed)).hexdigest()
    public = client.get("/public/enforcement")
    assert public.status_code == 200
    assert committed["draw_no"] in public.text and row.seed not in public.text
    page = client.get(f"/public/enforcement/draws/{committed['draw_no']}")
    names = [e["name"] for e in row.pool]
    assert committed["commitment"]["pool_sha256"] in page.text
    assert not any(n in page.text for n in names)  # nothing of the pool before the draw
    assert client.get(f"/public/enforcement/draws/{committed['draw_no']}.json").status_code == 409
    drawn = api("duty").post(f"{DRAWS}/{committed['id']}/perform").json()
    assert drawn["status"] == "drawn" and len(drawn["result"]) == 2
    assert all(len(a["inspectors"]) == 2 for a in drawn["result"])
    record = client.get(f"/public/enforcement/draws/{committed['draw_no']}.json")
    assert record.status_code == 200 and record.json()["seed"] == row.seed
    path = tmp_path / "record.json"
    path.write_bytes(record.content)
    ok = CliRunner().invoke(cli_app, ["enforcement", "verify-draw", str(path)])
    assert ok.exit_code == 0 and "核验通过" in ok.output, ok.output
    tampered = record.json()
    tampered["result"][0]["inspectors"].reverse()
    path.write_text(json.dumps(tampered, ensure_ascii=False), encoding="utf-8")
    assert CliRunner().invoke(cli_app, ["enforcement", "verify-draw", str(path)]).exit_code == 1
    # and the draw cannot be run again in place
    again = api("duty").post(f"{DRAWS}/{committed['id']}/perform")
    assert again.status_code == 409 and "重新抽取" in again.json()["error"]["message"]


def test_a_redraw_is_a_new_record_with_its_reason_and_both_are_published(api, client, db) -> None:
    target = item(db)
    db.commit()
    first = _commit(api, db, item_id=target.id)
    first_result = api("duty").post(f"{DRAWS}/{first['id']}/perform").json()["result"]
    assert api("duty").post(f"{DRAWS}/{first['id']}/redraw", json={"reason": "短"}).status_code == 422
    r = api("duty").post(f"{DRAWS}/{first['id']}/redraw", json={"reason": "两名执法人员临时借调，重新抽取"})
    assert r.status_code == 201
    second = r.json()
    assert second["id"] != first["id"] and second["redraw_of"] == first["id"]
    assert second["redraw_reason"] == "两名执法人员临时借调，重新抽取" and second["status"] == "committed"
    old = api("duty").get(f"{DRAWS}/{first['id']}").json()
    assert old["status"] == "superseded" and old["result"] == first_result  # kept, not overwritten
    public = client.get("/public/enforcement").text
    assert first["draw_no"] in public and second["draw_no"] in public and "两名执法人员临时借调" in public
    assert api("duty").post(f"{DRAWS}/{first['id']}/redraw", json={"reason": "再次重抽旧记录"}).status_code == 409


def test_declared_conflicts_and_last_years_inspector_are_never_drawn(api, db) -> None:
    target = item(db)
    pool = _fireworks(db)
    db.commit()
    roster = api("duty").get("/api/v1/enforcement/inspectors").json()["items"]
    declared = (roster[0]["id"], pool[0].id)
    assert api("duty").post("/api/v1/enforcement/conflicts", json={
        "inspector_id": declared[0], "enterprise_id": declared[1], "reason": "配偶在该企业任职"}).status_code == 201
    # last year: a standing draw of the year before assigned these pairs
    last = draws.commit_draw(db=db, actor=SYSTEM, data=DrawCreate(title="上年", item_id=target.id,
                                                                 enterprises=len(pool)))
    draws.perform_draw(db=db, actor=SYSTEM, draw_id=last.id)
    last.year -= 1
    db.commit()
    last_pairs = {(i, a["enterprise"]) for a in last.result for i in a["inspectors"]}
    now = _commit(api, db, item_id=target.id, enterprises=len(pool))
    row = db.get(Draw, now["id"])
    listed = {(c[0], c[1]): c[2] for c in row.conflicts}
    assert listed[declared] == "配偶在该企业任职"
    assert all(listed.get(p) in ("上一年度检查过该企业", "配偶在该企业任职") for p in last_pairs)
    drawn = api("duty").post(f"{DRAWS}/{now['id']}/perform").json()
    assigned = {(i, a["enterprise"]) for a in drawn["result"] for i in a["inspectors"]}
    assert {a["enterprise"] for a in drawn["result"]} == {e.id for e in pool}
    assert declared not in assigned and not (assigned & last_pairs)


def test_same_township_exclusion(api, db) -> None:
    target = item(db)
    pool = _fireworks(db)
    db.commit()
    drawn = _commit(api, db, item_id=target.id, enterprises=len(pool), exclude_same_township=True)
    result = api("duty").post(f"{DRAWS}/{drawn['id']}/perform").json()
    town = {i["id"]: i["township"] for i in result["roster"]}
    place = {e.id: "/".join(e.region_path.split("/")[:2]) for e in pool}
    assert all(town[i] != place[a["enterprise"]] for a in result["result"] for i in a["inspectors"])


def test_an_enterprise_at_its_yearly_cap_leaves_the_pool(api, db) -> None:
    target = item(db)
    pool = _fireworks(db)
    cap = db.scalar(select(InspectionCap).where(InspectionCap.industry_group == "other", InspectionCap.grade == "none"))
    # the default is the 山西 2025 example: other industries without a standardisation grade, at most 6 a year
    assert cap.max_per_year == 6
    db.commit()
    assert api("labao").put(f"/api/v1/enforcement/caps/{cap.id}", json={"max_per_year": 1}).status_code == 403
    assert api("duty").put(f"/api/v1/enforcement/caps/{cap.id}", json={"max_per_year": 1}).status_code == 200
    first = _commit(api, db, item_id=target.id, enterprises=1)
    done = api("duty").post(f"{DRAWS}/{first['id']}/perform").json()["result"][0]["enterprise"]
    second = _commit(api, db, item_id=target.id, enterprises=1)
    row = db.get(Draw, second["id"])
    assert done not in {e["id"] for e in row.pool}
    assert [e["reason"] for e in row.excluded if e["id"] == done] == ["本年度已检查 1 次，达到上限 1 次"]
    assert len(row.pool) == len(pool) - 1
    # asking for more than the pool holds is refused with the count, nothing recorded
    r = api("duty").post(DRAWS, json={"title": "超量", "item_id": target.id, "enterprises": len(pool)})
    assert r.status_code == 409 and f"只有 {len(pool) - 1} 家" in r.json()["error"]["message"]


def test_who_may_see_and_run_draws(api, db) -> None:
    target = item(db)
    db.commit()
    committed = _commit(api, db, item_id=target.id)
    for username in ("labao", "inspector", "leader", "chem", "officer"):
        c = api(username)
        assert c.post(DRAWS, json={"title": "x", "item_id": target.id, "enterprises": 1}).status_code == 403, username
        assert c.post(f"{DRAWS}/{committed['id']}/perform").status_code == 403, username
        assert c.post(f"{DRAWS}/{committed['id']}/redraw", json={"reason": "无权重抽"}).status_code == 403
    # before the draw a reader who does not run it sees the commitment only
    seen = api("inspector").get(f"{DRAWS}/{committed['id']}").json()
    assert seen["pool"] is None and seen["roster"] is None and seen["pool_size"] > 0
    # an enterprise manager sees nothing of the draws (it reads the public page like anyone)
    assert api("chem").get(DRAWS).status_code == 403
    assert api("chem").get(f"{DRAWS}/{committed['id']}").status_code == 403
    assert api("chem").get("/api/v1/enforcement/inspectors").status_code == 403
    assert api("inspector").get("/api/v1/enforcement/conflicts").status_code == 403
    api("duty").post(f"{DRAWS}/{committed['id']}/perform")
    assert api("inspector").get(f"{DRAWS}/{committed['id']}").json()["pool"] is not None


def test_draw_pages(page_client, db) -> None:
    assert page_client("duty").get("/enforcement/draws").status_code == 200
    first = db.scalar(select(Draw).where(Draw.is_demo.is_(True)).order_by(Draw.id))
    assert page_client("duty").get(f"/enforcement/draws/{first.id}").status_code == 200
    assert page_client("chem").get("/enforcement/draws").status_code == 403
