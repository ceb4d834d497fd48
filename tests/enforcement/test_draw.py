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


def test_the_commitment_is_the_sha256_of_each_canonical_input() -> None:
    draw_inputs = DrawInputs(POOL, ROSTER, [[101, 1, "亲属任职"]], inputs().parameters)
    seed_hash = hashlib.sha256(bytes.fromhex(SEED)).hexdigest()

    def sha(value) -> str:
        return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
                              .encode()).hexdigest()

    assert draw_inputs.commitment(seed_hash) == {
        "algorithm": "hmac-sha256-rank/1", "seed_sha256": seed_hash, "pool_sha256": sha(POOL),
        "roster_sha256": sha(ROSTER), "conflicts_sha256": sha([[101, 1, "亲属任职"]]),
        "parameters_sha256": sha(draw_inputs.parameters)}


def test_without_a_cap_an_inspector_may_serve_every_enterprise() -> None:
    # No max_per_inspector: 2 enterprises, 2 per enterprise, only 2 inspectors: both go to both.
    pool, roster = POOL[:2], ROSTER[:2]
    result = run(DrawInputs(pool, roster, [], {"enterprises": 2, "inspectors_per_enterprise": 2}), SEED)
    assert [sorted(r["inspectors"]) for r in result] == [[101, 102], [101, 102]]


def test_a_cap_of_one_uses_each_inspector_once_and_the_whole_pool_may_be_drawn() -> None:
    result = run(inputs(enterprises=3, max_per_inspector=1), SEED)
    used = [iid for r in result for iid in r["inspectors"]]
    assert sorted(used) == [101, 102, 103, 104, 105, 106]  # 3 × 2 = 6 assignments, each inspector once
    everyone = run(inputs(enterprises=8, max_per_inspector=3), SEED)  # 8 of 8: 16 ≤ 6 × 3
    assert sorted(r["enterprise"] for r in everyone) == list(range(1, 9))


def test_same_township_inspectors_are_passed_over_not_the_rest() -> None:
    for row in run(inputs(exclude_same_township=True), SEED):
        eid = row["enterprise"]
        township = "T1" if eid % 2 else "T2"
        ranked = sorted(ROSTER, key=lambda i: h(f"inspector:{eid}:{i['id']}"))
        assert row["inspectors"] == [i["id"] for i in ranked if i["township"] != township][:2]


def test_infeasible_draws_say_why() -> None:
    with pytest.raises(DrawInfeasible) as one:
        run(inputs(inspectors_per_enterprise=1), SEED)
    assert str(one.value) == "每家企业至少抽取 2 名执法人员"
    with pytest.raises(DrawInfeasible) as too_many:
        run(inputs(enterprises=9), SEED)
    assert str(too_many.value) == "抽取 9 家企业，但抽查对象库只有 8 家"
    first = run(inputs(enterprises=1), SEED)[0]["enterprise"]
    conflicts = [[100 + i, first, "亲属任职"] for i in range(1, 6)]  # 5 of 6 inspectors conflicted
    with pytest.raises(DrawInfeasible) as short:
        run(DrawInputs(POOL, ROSTER, conflicts, inputs(enterprises=1).parameters), SEED)
    assert str(short.value) == f"企业 企业{first} 只有 1 名无利益冲突的执法人员可派，需 2 名"


def _mismatch(record) -> str:
    with pytest.raises(DrawMismatch) as exc:
        verify(record)
    return str(exc.value)


def test_every_failed_check_says_which_in_its_words() -> None:
    assert _mismatch({**published(), "format": "x"}) == f"不是可识别的抽取记录（format 应为 {RECORD_FORMAT}）"
    record = published()
    record["commitment"] = {**record["commitment"], "algorithm": "md5-rank/0"}
    assert _mismatch(record) == "不支持的抽取算法：md5-rank/0"
    assert _mismatch({**published(), "seed": ""}) == "记录中没有公开的随机种子（抽取尚未进行）"
    assert _mismatch({**published(), "seed": "zz"}) == "随机种子不是十六进制"
    assert _mismatch({**published(), "conflicts": [[101, 1, "亲属任职"]]}) == "conflicts_sha256 与事先公布的承诺不符"
    record = published()
    record["result"] = list(reversed(record["result"]))
    assert _mismatch(record) == "按公布的种子和输入重新抽取，结果与公布的结果不同"
    # Committed inputs that cannot be drawn: 9 enterprises asked of a pool of 8.
    bad = DrawInputs(POOL, ROSTER, [], inputs(enterprises=9).parameters)
    record = {**published(), "parameters": bad.parameters,
              "commitment": bad.commitment(hashlib.sha256(bytes.fromhex(SEED)).hexdigest())}
    assert _mismatch(record) == "按公布的输入无法完成抽取：抽取 9 家企业，但抽查对象库只有 8 家"


def test_a_record_names_its_format_as_published() -> None:
    # The format name a published record file carries (``yingji enforcement verify-draw FILE``).
    record = {**published(), "format": "yingji-draw/1"}
    assert verify(record) == record["result"]
