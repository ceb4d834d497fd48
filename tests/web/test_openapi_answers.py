"""The error answers the OpenAPI lists per operation are the ones it gives: none it cannot give, none missing.

Structural rules hold on every operation; then operations are called from the outside — every read that
needs no parameter as anonymous and as each of the eight roles, every write without a login and with a
session cookie but no CSRF token, every path naming a record that does not exist, every write per role
with an empty body — and each answer must be listed, and a listed 401 or (on reads) 403 must be given.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from yingji.core.actor import require
from yingji.core.errors import NotFound
from yingji.web import answers

ROLES = ["admin", "duty", "leader", "liaison", "labao", "officer", "chem", "inspector"]
WRITES = {"post", "put", "patch", "delete"}
EXCLUDED = {("get", "/api/v1/monitoring/stream")}  # never ends by design


@pytest.fixture
def operations(app) -> list[tuple[str, str, dict]]:
    ops = [(m, p, o) for p, item in app.openapi()["paths"].items() for m, o in item.items()]
    return [op for op in ops if (op[0], op[1]) not in EXCLUDED]


def listed(operation: dict) -> set[int]:
    return {int(c) for c in operation["responses"] if c[0] == "4"}


def required_query(operation: dict) -> bool:
    return any(p.get("required") and p["in"] != "path" for p in operation.get("parameters", []))


def test_every_operation_follows_the_rules(operations) -> None:
    assert len(operations) > 140
    for method, path, op in operations:
        codes = listed(op)
        what = f"{method.upper()} {path} {sorted(codes)}"
        has_input = bool(op.get("parameters")) or "requestBody" in op
        assert (413 in codes) == ("requestBody" in op), what
        assert 422 in codes or not has_input, what
        if "{" in path:
            assert 404 in codes, what
        if op.get("security"):  # needs a user: a missing token is a 401; a write by cookie without CSRF a 403
            assert 401 in codes, what
            assert 403 in codes or method not in WRITES, what
        elif method != "post" or path != "/api/v1/auth/token":
            assert 403 not in codes, what  # a visitor's operation checks no role
        if method == "get":
            assert 409 not in codes, what
        assert codes <= {401, 403, 404, 409, 413, 422, 429}, what


def test_no_read_lists_a_403_no_role_gets(operations, api, client) -> None:
    """Every read without path or required parameters, anonymous and per role: each answer is listed, 401
    exactly where anonymous gets it, 403 exactly where some role gets it (reads check no CSRF)."""
    reads = [(p, o) for m, p, o in operations if m == "get" and "{" not in p and not required_query(o)]
    assert len(reads) > 40
    problems = []
    for path, op in reads:
        codes = listed(op)
        got = {who: api(who).get(path).status_code for who in ROLES}
        got["anonymous"] = client.get(path).status_code
        for who, status in got.items():
            if 400 <= status < 500 and status not in codes:
                problems.append(f"GET {path} as {who} → {status}, not listed {sorted(codes)}")
        if op.get("security") and got["anonymous"] != 401 or not op.get("security") and got["anonymous"] == 401:
            problems.append(f"GET {path}: anonymous → {got['anonymous']}, listed {sorted(codes)}")
        if 401 in codes and not op.get("security"):  # a visitor's operation that takes a user if one comes
            forged = client.get(path, headers={"Authorization": "Bearer no-such-token"}).status_code
            if forged != 401:
                problems.append(f"GET {path}: a bad token → {forged}, listed {sorted(codes)}")
        if (403 in codes) != any(got[r] == 403 for r in ROLES):
            problems.append(f"GET {path}: roles → {got}, listed {sorted(codes)}")
    assert not problems, "\n".join(problems)


def fill(path: str) -> str:
    """A path naming records that do not exist (ids past any row, codes nobody uses)."""
    return re.sub(r"\{[^}]+\}", "987654321", path)


def test_writes_refuse_visitors_and_forged_requests_as_listed(operations, client, page_client) -> None:
    duty = page_client("duty")  # logged in by cookie; sends no X-CSRF-Token
    problems = []
    for method, path, op in operations:
        if method not in WRITES:
            continue
        codes = listed(op)
        anonymous = client.request(method, fill(path), json={}).status_code
        forged = duty.request(method, fill(path), json={}).status_code
        if op.get("security") and anonymous != 401:
            problems.append(f"{method.upper()} {path}: anonymous → {anonymous}")
        if op.get("security") and forged != 403:
            problems.append(f"{method.upper()} {path}: cookie without CSRF → {forged}")
        for status in (anonymous, forged):
            if 400 <= status < 500 and status not in codes:
                problems.append(f"{method.upper()} {path} → {status}, not listed {sorted(codes)}")
    assert not problems, "\n".join(problems)


def test_unknown_records_and_per_role_writes_answer_as_listed(operations, api) -> None:
    """Every operation naming a record that does not exist, as admin; every write per role with an empty
    body. Whatever comes back is listed; a path naming a missing record is a 404 (or 422 when the text is
    not even of the parameter's form)."""
    problems = []
    seen: dict[str, set[int]] = defaultdict(set)
    for method, path, op in operations:
        codes = listed(op)
        callers = ROLES if method in WRITES else (["admin"] if "{" in path else [])
        for who in callers:
            r = api(who).request(method, fill(path), json={} if "requestBody" in op else None)
            seen[f"{method.upper()} {path}"].add(r.status_code)
            if 400 <= r.status_code < 500 and r.status_code not in codes:
                problems.append(f"{method.upper()} {path} as {who} → {r.status_code} not listed {sorted(codes)}"
                                f" {r.text[:160]}")
            if r.status_code >= 500:
                problems.append(f"{method.upper()} {path} as {who} → {r.status_code}")
    assert not problems, "\n".join(problems)
    named = [k for k in seen if "{" in k and k.startswith("GET")]
    assert named and all(seen[k] & {404, 422} for k in named), {k: seen[k] for k in named}


def test_a_referenced_record_is_a_listed_409(api, app, db) -> None:
    from tests.risk.helpers import chem_enterprise_id

    r = api("admin").delete(f"/api/v1/registry/enterprises/{chem_enterprise_id(db)}")
    assert r.status_code == 409, r.text
    assert "409" in app.openapi()["paths"]["/api/v1/registry/enterprises/{enterprise_id}"]["delete"]["responses"]


# --- the derivation itself, on functions made for it -----------------------------------------------------


def _reads(actor) -> None:
    return None


def _checks(actor) -> None:
    require(actor, "risk.hazards.manage")


def _everyone(actor) -> None:
    require(actor, "geo.read")  # every role holds it


def _loads(db, key) -> None:
    try:
        require(db, key)  # a permission not known here: a 403 all the same
    except NotFound:  # catching is not raising
        db.rollback()


def _stores(db, row) -> None:
    db.add(row)


def test_answers_follow_the_code() -> None:
    assert answers.reachable(_reads) == frozenset()
    assert answers.reachable(_checks) == {"permission:risk.hazards.manage"}
    assert answers.refuses_someone(answers.reachable(_checks))
    assert not answers.refuses_someone(answers.reachable(_everyone))
    assert answers.reachable(_loads) == {"403"}  # through require itself
    assert answers.reachable(_stores) == {answers.WRITES}
