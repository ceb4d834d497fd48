"""The random inspection draw (双随机), verifiable by anyone from its published record.

Commit, then reveal: before the draw the bureau publishes the SHA-256 of a secret random seed together
with the hashes of the inputs (the enterprise pool, the inspector roster, the declared conflicts and the
parameters). The draw is then run with that seed and the record published with the seed itself. Anyone
can check that the seed matches the commitment, that the inputs are those committed to, and re-run the
draw (``yingji enforcement verify-draw FILE``): the seed could not be chosen after the inputs were known,
and the inputs could not be changed after the seed was drawn.

Algorithm ``hmac-sha256-rank/1``:

1. Each enterprise in the pool is ranked by ``HMAC-SHA256(seed, "enterprise:<id>")`` (hex, ascending);
   the first ``enterprises`` are drawn, in that order.
2. For each drawn enterprise, in draw order, the inspectors are ranked by
   ``HMAC-SHA256(seed, "inspector:<enterprise id>:<inspector id>")``; the first
   ``inspectors_per_enterprise`` that have no conflict with it (a declared conflict, or the same township
   when ``exclude_same_township``) and fewer than ``max_per_inspector`` assignments so far are assigned.
3. If an enterprise cannot get enough inspectors the draw fails as a whole (nothing is half-drawn).

Everything hashed is canonical JSON (sorted keys, no spaces, UTF-8).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

ALGORITHM = "hmac-sha256-rank/1"
RECORD_FORMAT = "yingji-draw/1"


class DrawInfeasible(ValueError):
    """The pool and roster cannot satisfy the parameters."""


class DrawMismatch(ValueError):
    """A published record does not verify; the message says which check failed."""


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _rank(seed: str, label: str) -> str:
    return hmac.new(bytes.fromhex(seed), label.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class DrawInputs:
    pool: list[dict[str, Any]]  # [{"id": int, "name": str, "township": str}]
    roster: list[dict[str, Any]]  # [{"id": int, "name": str, "township": str}]
    conflicts: list[list[Any]]  # [[inspector id, enterprise id, reason]]
    parameters: dict[str, Any]  # enterprises, inspectors_per_enterprise, max_per_inspector, exclude_same_township

    def commitment(self, seed_sha256: str) -> dict[str, str]:
        return {
            "algorithm": ALGORITHM,
            "seed_sha256": seed_sha256,
            "pool_sha256": sha256_hex(canonical(self.pool)),
            "roster_sha256": sha256_hex(canonical(self.roster)),
            "conflicts_sha256": sha256_hex(canonical(self.conflicts)),
            "parameters_sha256": sha256_hex(canonical(self.parameters)),
        }


def run(inputs: DrawInputs, seed: str) -> list[dict[str, Any]]:
    """The draw: ``[{"enterprise": id, "inspectors": [id, ...]}]`` in draw order."""
    p = inputs.parameters
    n, k = int(p["enterprises"]), int(p["inspectors_per_enterprise"])
    cap = int(p.get("max_per_inspector") or len(inputs.pool) * k or 1)
    if k < 2:
        raise DrawInfeasible("每家企业至少抽取 2 名执法人员")
    if n > len(inputs.pool):
        raise DrawInfeasible(f"抽取 {n} 家企业，但抽查对象库只有 {len(inputs.pool)} 家")
    conflicts = {(int(c[0]), int(c[1])) for c in inputs.conflicts}
    townships = {int(e["id"]): e.get("township") for e in inputs.pool}
    drawn = sorted(inputs.pool, key=lambda e: _rank(seed, f"enterprise:{int(e['id'])}"))[:n]
    load: dict[int, int] = {}
    result = []
    for enterprise in drawn:
        eid = int(enterprise["id"])
        ranked = sorted(inputs.roster, key=lambda i: _rank(seed, f"inspector:{eid}:{int(i['id'])}"))
        chosen: list[int] = []
        for inspector in ranked:
            iid = int(inspector["id"])
            if (iid, eid) in conflicts or load.get(iid, 0) >= cap:
                continue
            if p.get("exclude_same_township") and inspector.get("township") and \
                    inspector.get("township") == townships[eid]:
                continue
            chosen.append(iid)
            load[iid] = load.get(iid, 0) + 1
            if len(chosen) == k:
                break
        if len(chosen) < k:
            name = enterprise.get("name", eid)
            raise DrawInfeasible(f"企业 {name} 只有 {len(chosen)} 名无利益冲突的执法人员可派，需 {k} 名")
        result.append({"enterprise": eid, "inspectors": chosen})
    return result


def verify(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Checks a published draw record and re-runs it; returns the result, or raises ``DrawMismatch``."""
    if record.get("format") != RECORD_FORMAT:
        raise DrawMismatch(f"不是可识别的抽取记录（format 应为 {RECORD_FORMAT}）")
    commitment = record.get("commitment") or {}
    if commitment.get("algorithm") != ALGORITHM:
        raise DrawMismatch(f"不支持的抽取算法：{commitment.get('algorithm')}")
    seed = record.get("seed")
    if not isinstance(seed, str) or not seed:
        raise DrawMismatch("记录中没有公开的随机种子（抽取尚未进行）")
    try:
        bytes.fromhex(seed)
    except ValueError as exc:
        raise DrawMismatch("随机种子不是十六进制") from exc
    inputs = DrawInputs(record["pool"], record["roster"], record["conflicts"], record["parameters"])
    expected = inputs.commitment(sha256_hex(bytes.fromhex(seed)))
    for key, value in expected.items():
        if commitment.get(key) != value:
            raise DrawMismatch(f"{key} 与事先公布的承诺不符")
    try:
        result = run(inputs, seed)
    except DrawInfeasible as exc:
        raise DrawMismatch(f"按公布的输入无法完成抽取：{exc}") from exc
    if result != record.get("result"):
        raise DrawMismatch("按公布的种子和输入重新抽取，结果与公布的结果不同")
    return result
