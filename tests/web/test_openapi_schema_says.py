"""The OpenAPI says what the code checks, so a request the schema admits is not refused for a reason the
schema could have stated: ids within the database's integer range, the codes of the data tables (warning
types, incident kinds, rule packs, map layers), the risk-grading inputs, a rule's parameters per kind.

Expected values come from the data files and the standards' text, read here directly, not from the code's
own tables. Runs on SQLite and PostgreSQL (an id past 2^31 − 1 cannot even be compared with an int4 column
there: it is refused as input on both)."""

from __future__ import annotations

import csv
import tomllib
from importlib import resources

import pytest
import sqlalchemy as sa

INT32_MAX = 2_147_483_647


def is_id(name: str) -> bool:
    return name == "id" or name.endswith("_id")


def integer_schemas(schema: dict) -> list[dict]:
    """The integer branches of a parameter or property schema (``anyOf`` with null for optional ones)."""
    branches = schema.get("anyOf", [schema])
    return [b for b in branches if b.get("type") == "integer"]


def test_every_primary_key_is_a_32_bit_integer() -> None:
    """``RecordId`` bounds ids at 2^31 − 1 because every table's key is ``Integer`` (int4 on PostgreSQL); a
    BigInteger key would need the wider bound."""
    from yingji.bootstrap import load_models
    from yingji.core.db import Base

    load_models()
    wide = []
    for table in Base.metadata.tables.values():
        for column in table.primary_key.columns:
            narrow = isinstance(column.type, sa.Integer) and not isinstance(column.type, sa.BigInteger)
            if column.name == "id" and not narrow:
                wide.append(f"{table.name}.{column.name} {column.type}")
    assert not wide, wide


def test_every_integer_id_the_api_takes_states_its_maximum(app) -> None:
    schema = app.openapi()
    components = schema["components"]["schemas"]
    unbounded = []
    checked = 0
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for p in operation.get("parameters", []):
                for s in integer_schemas(p["schema"]) if is_id(p["name"]) else []:
                    checked += 1
                    if (s.get("minimum"), s.get("maximum")) != (1, INT32_MAX):
                        unbounded.append(f"{method.upper()} {path} {p['in']} {p['name']}")
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            ref = body.get("$ref", "")
            if ref:
                model = components[ref.rsplit("/", 1)[-1]]
                for name, prop in model.get("properties", {}).items():
                    if name.endswith("_ids"):
                        prop = prop.get("items", {})
                    elif not is_id(name):
                        continue
                    for s in integer_schemas(prop):
                        checked += 1
                        if (s.get("minimum"), s.get("maximum")) != (1, INT32_MAX):
                            unbounded.append(f"{method.upper()} {path} body {name}")
    assert checked > 100, checked  # path ids, filters and body references of the whole API
    assert not unbounded, unbounded


@pytest.mark.parametrize(
    "path", ["/api/v1/risk/hazards/{}", "/api/v1/resources/teams/{}", "/api/v1/monitoring/sensors/{}"]
)
def test_an_id_out_of_range_is_refused_naming_it_and_the_largest_is_looked_up(api, path) -> None:
    admin = api("admin")
    r = admin.get(path.format(INT32_MAX + 1))
    assert r.status_code == 422, r.text
    assert r.json()["error"]["details"][0]["field"].endswith("_id"), r.text
    assert admin.get(path.format(INT32_MAX)).status_code == 404
    for beyond in (2**64, 0, -(2**64)):  # past what SQLite's driver can bind, and below the first id
        assert admin.get(path.format(beyond)).status_code == 422, beyond


def test_an_id_in_a_body_past_the_range_is_refused_naming_it(api) -> None:
    r = api("admin").post("/api/v1/risk/hazards", json={"title": "越界的企业编号", "enterprise_id": INT32_MAX + 1})
    assert r.status_code == 422, r.text
    assert [d["field"] for d in r.json()["error"]["details"]] == ["enterprise_id"], r.text


def enum_of(schema: dict) -> list:
    for branch in schema.get("anyOf", [schema]):
        if "enum" in branch:
            return branch["enum"]
    raise AssertionError(f"no enum in {schema}")


def test_warning_types_and_incident_kinds_are_the_data_tables_codes(app) -> None:
    components = app.openapi()["components"]["schemas"]
    text = (resources.files("yingji.warnings") / "data" / "event_types.csv").read_text(encoding="utf-8")
    event_types = [row["code"] for row in csv.DictReader(text.splitlines())]
    assert "rainstorm" in event_types and "typhoon" in event_types
    assert enum_of(components["WarningCreate"]["properties"]["event_type"]) == event_types
    assert enum_of(components["WarningRevision"]["properties"]["event_type"]) == event_types
    assert enum_of(components["SubscribeRequest"]["properties"]["event_types"]["items"]) == event_types

    kinds_toml = tomllib.loads((resources.files("yingji.incidents") / "data" / "kinds.toml").read_text("utf-8"))
    kinds = [k["code"] for block in kinds_toml.values() for k in block["kinds"]]
    for model in ("IncidentCreate", "DeadlinesRequest"):
        assert enum_of(components[model]["properties"]["kind"]) == kinds, model


def test_codes_in_paths_and_filters_are_listed(app) -> None:
    paths = app.openapi()["paths"]

    def param(path: str, method: str, name: str) -> dict:
        return next(p["schema"] for p in paths[path][method]["parameters"] if p["name"] == name)

    assert set(enum_of(param("/api/v1/geo/lines/{layer}", "post", "layer"))) == {"road", "river"}
    packs = enum_of(param("/api/v1/monitoring/rule-packs/{pack}", "post", "pack"))
    assert {"rainstorm", "landslide", "major_hazard", "waterlogging", "no_data"} <= set(packs)
    for list_path in ("/api/v1/monitoring/alarms", "/api/v1/monitoring/events"):
        assert set(enum_of(param(list_path, "get", "level"))) == {"red", "orange", "yellow", "blue"}
        assert set(enum_of(param(list_path, "get", "state"))) == {"open", "acknowledged", "resolved", "closed"}
    assert set(enum_of(param("/api/v1/resources/nearest", "get", "kind"))) == {"team", "warehouse", "shelter"}
    assert set(enum_of(param("/api/v1/incidents", "get", "status"))) == {"open", "closed", "merged"}
    assert set(enum_of(param("/api/v1/incidents/proposals", "get", "status"))) == {"pending", "accepted", "dismissed"}
    lon = param("/api/v1/resources/nearest", "get", "lon")
    assert (lon["minimum"], lon["maximum"]) == (-180, 180)


def test_every_code_the_schema_lists_is_accepted(api) -> None:
    """The listed codes are the ones the checks accept: each warning type passes the validator, each
    incident kind grades, each pack installs, each alarm filter lists."""
    admin = api("admin")
    schema = admin.get("/api/openapi.json").json()
    components = schema["components"]["schemas"]
    for kind in enum_of(components["IncidentCreate"]["properties"]["kind"]):
        r = admin.post("/api/v1/incidents/grade", json={"kind": kind})
        assert r.status_code == 200, (kind, r.text)
    pack_param = schema["paths"]["/api/v1/monitoring/rule-packs/{pack}"]["post"]["parameters"][0]["schema"]
    for pack in enum_of(pack_param):
        assert admin.post(f"/api/v1/monitoring/rule-packs/{pack}").status_code == 200, pack
    for level in ("red", "orange", "yellow", "blue"):
        assert admin.get("/api/v1/monitoring/events", params={"level": level}).status_code == 200


def test_the_grading_inputs_are_the_standards_value_sets(app, api) -> None:
    """LEC values as shared/standards/cn-rules.md §2.1 gives them (Graham–Kinney); the matrix 1–5 (§2.2)."""
    body = app.openapi()["paths"]["/api/v1/risk/grade"]["post"]["requestBody"]["content"]["application/json"]
    lec, matrix = body["schema"]["oneOf"]
    assert lec["properties"]["L"]["enum"] == [0.1, 0.2, 0.5, 1, 3, 6, 10]
    assert lec["properties"]["E"]["enum"] == [0.5, 1, 2, 3, 6, 10]
    assert lec["properties"]["C"]["enum"] == [1, 3, 7, 15, 40, 100]
    assert lec["properties"]["method"] == {"const": "lec"} and matrix["properties"]["method"] == {"const": "matrix"}
    assert (matrix["properties"]["likelihood"]["minimum"], matrix["properties"]["likelihood"]["maximum"]) == (1, 5)
    admin = api("admin")
    # Every value the schema lists is graded: D = 0.1 × 0.5 × 1 = 0.05 (low) … 10 × 10 × 100 = 10000 (red).
    lowest = admin.post("/api/v1/risk/grade", json={"method": "lec", "L": 0.1, "E": 0.5, "C": 1})
    assert lowest.json()["level"] == "blue"
    highest = admin.post("/api/v1/risk/grade", json={"method": "lec", "L": 10, "E": 10, "C": 100})
    assert highest.json()["level"] == "red"
    for name, values in (("L", lec["properties"]["L"]["enum"]), ("E", lec["properties"]["E"]["enum"]),
                         ("C", lec["properties"]["C"]["enum"])):
        for v in values:
            r = admin.post("/api/v1/risk/grade", json={"method": "lec", "L": 1, "E": 1, "C": 1, name: v})
            assert r.status_code == 200, (name, v, r.text)
    point = app.openapi()["components"]["schemas"]["RiskPointCreate"]["properties"]["grading"]
    assert point["oneOf"] == body["schema"]["oneOf"]


def test_a_rules_params_are_stated_per_kind(app) -> None:
    rule = app.openapi()["components"]["schemas"]["RuleCreate"]
    by_kind = {alt["properties"]["kind"]["const"]: alt["properties"]["params"] for alt in rule["oneOf"]}
    assert set(by_kind) == {"threshold", "rate", "accumulation", "no_data", "combination"}
    assert by_kind["threshold"]["required"] == ["value"]
    assert by_kind["accumulation"]["properties"]["window_s"]["maximum"] == 72 * 3600
    assert all(p["additionalProperties"] is False for p in by_kind.values())


def test_major_hazard_substances_are_the_tables_names(app) -> None:
    body = app.openapi()["paths"]["/api/v1/risk/major-hazard/assess"]["post"]["requestBody"]["content"]
    schema = body["application/json"]["schema"]
    assert schema["properties"]["unit_type"]["enum"] == ["production", "storage"]
    substance = schema["properties"]["substances"]["items"]
    text = (resources.files("yingji.risk") / "data" / "gb18218_table1.csv").read_text(encoding="utf-8")
    names = {row["name"] for row in csv.DictReader(text.splitlines())}
    assert names <= set(substance["properties"]["name"]["enum"])
    assert "W5.4" in substance["properties"]["symbol"]["enum"]
