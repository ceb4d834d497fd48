"""The random inspection draw: commit-reveal, exclusions, caps, and re-running it from the published
record. The ranking is recomputed here with hmac/hashlib directly from the algorithm's description."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json

import pytest

from yingji.enforcement.draw import RECORD_FORMAT, DrawInfeasible, DrawInputs, DrawMismatch, canonical, run, verify

SEED = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
POOL = [{"id": i, "name": f"企业{i}", "township": "T1" if i % 2 else "T2"} for i in range(1, 9)]
ROSTER = [{"id": 100 + i, "name": f"执法员{i}", "township": "T1" if i < 3 else "T3"} for i in range(1, 7)]


def h(label: str) -> str:
    return hmac.new(bytes.fromhex(SEED), label.encode(), hashlib.sha256).hexdigest()


def inputs(**parameters) -> DrawInputs:
    params = {"enterprises": 3, "inspectors_per_enterprise": 2, "max_per_inspector": 2,
              "exclude_same_township": False, **parameters}
    return DrawInputs(POOL, ROSTER, [], params)


def test_enterprises_are_the_lowest_ranked_by_hmac() -> None:
    expected = sorted((e["id"] for e in POOL), key=lambda i: h(f"enterprise:{i}"))[:3]
    assert [r["enterprise"] for r in run(inputs(), SEED)] == expected


def test_inspectors_follow_their_rank_and_skip_conflicts() -> None:
    first = run(inputs(), SEED)[0]
    eid = first["enterprise"]
    ranked = sorted((i["id"] for i in ROSTER), key=lambda i: h(f"inspector:{eid}:{i}"))
    assert first["inspectors"] == ranked[:2]
    with_conflict = DrawInputs(POOL, ROSTER, [[ranked[0], eid, "亲属任职"]], inputs().parameters)
    assert run(with_conflict, SEED)[0]["inspectors"] == ranked[1:3]


def test_same_township_exclusion() -> None:
    for row in run(inputs(exclude_same_township=True), SEED):
        township = next(e["township"] for e in POOL if e["id"] == row["enterprise"])
        assert all(next(i["township"] for i in ROSTER if i["id"] == iid) != township for iid in row["inspectors"])


def test_no_inspector_above_the_cap() -> None:
    result = run(inputs(enterprises=6, max_per_inspector=2), SEED)
    counts: dict[int, int] = {}
    for row in result:
        assert len(set(row["inspectors"])) == 2
        for iid in row["inspectors"]:
            counts[iid] = counts.get(iid, 0) + 1
    assert max(counts.values()) == 2  # 6 enterprises × 2 = 12 assignments over 6 inspectors
    with pytest.raises(DrawInfeasible):
        run(inputs(enterprises=7, max_per_inspector=2), SEED)  # 14 assignments > 6 × 2


def test_at_least_two_inspectors_and_enough_enterprises() -> None:
    with pytest.raises(DrawInfeasible):
        run(inputs(inspectors_per_enterprise=1), SEED)
    with pytest.raises(DrawInfeasible):
        run(inputs(enterprises=9), SEED)


def test_another_seed_gives_another_draw() -> None:
    other = "ff" * 32
    assert run(inputs(enterprises=4), SEED) != run(inputs(enterprises=4), other)


def published() -> dict:
    draw_inputs = inputs()
    return {
        "format": RECORD_FORMAT, "draw_no": "2026-抽-001",
        "pool": draw_inputs.pool, "roster": draw_inputs.roster, "conflicts": draw_inputs.conflicts,
        "parameters": draw_inputs.parameters,
        "commitment": draw_inputs.commitment(hashlib.sha256(bytes.fromhex(SEED)).hexdigest()),
        "seed": SEED, "result": run(draw_inputs, SEED),
    }


def test_a_published_record_verifies() -> None:
    record = published()
    assert record["commitment"]["pool_sha256"] == hashlib.sha256(
        json.dumps(POOL, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()
    assert canonical({"b": 1, "a": "甲"}) == '{"a":"甲","b":1}'.encode()
    assert verify(record) == record["result"]


@pytest.mark.parametrize(
    ("tamper", "says"),
    [
        (lambda r: r.update(seed="ff" * 32), "seed_sha256"),  # another seed than the one committed to
        (lambda r: r["pool"].pop(), "pool_sha256"),  # an enterprise quietly left out of the pool
        (lambda r: r["roster"][0].update(name="别人"), "roster_sha256"),
        (lambda r: r["parameters"].update(enterprises=2), "parameters_sha256"),
        (lambda r: r["result"][0]["inspectors"].reverse(), "结果与公布的结果不同"),
        (lambda r: r.update(seed=None), "没有公开的随机种子"),
    ],
)
def test_a_tampered_record_does_not_verify(tamper, says) -> None:
    record = copy.deepcopy(published())
    tamper(record)
    with pytest.raises(DrawMismatch, match=says):
        verify(record)
