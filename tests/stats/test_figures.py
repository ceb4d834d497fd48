"""The indicators of 专栏1 computed from the platform's records and the yearly inputs, against values
computed by hand on a small data set of 2018 (a year the demo has no records in), with a drill and a
missing input; and on the demo's five years."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from tests.incidents.helpers import LABAO, LABAO_VILLAGE, report
from yingji.core.actor import SYSTEM
from yingji.core.clock import use_clock
from yingji.incidents.report_schemas import DisasterReportCreate
from yingji.incidents.service import disaster as disaster_service
from yingji.stats.indicators import compute
from yingji.stats.schemas import YearInputWrite
from yingji.stats.service import figures, inputs

T = datetime(2018, 5, 10, 2, 0, tzinfo=UTC)


def _small_year(db):
    """2018: accidents with 2, 1 and 12 deaths (the last 重大), a road accident with 3, a drill accident
    with 5 (never counted); a landslide reported 初报 then 续报 (the last counts) and a drill flood."""
    ids = {}
    with use_clock(lambda: T):
        ids["a"] = report(db, kind="construction", occurred_at=T, deaths=2).id
        ids["b"] = report(db, kind="industry_trade", occurred_at=T, deaths=1).id
        ids["major"] = report(db, kind="hazardous_chemicals", occurred_at=T, deaths=12).id
        ids["road"] = report(db, kind="road_traffic", occurred_at=T, deaths=3).id
        ids["drill"] = report(db, kind="construction", occurred_at=T, deaths=5, drill=True).id
        slide = report(db, kind="landslide", occurred_at=T, region_code=LABAO_VILLAGE)
        report(db, kind="flood", occurred_at=T, drill=True)
    for kind, scale in (("initial", 1), ("follow_up", 2)):
        township = {"affected_person_times": Decimal(1250 * scale), "deaths": Decimal(scale - 1),
                    "direct_loss_10k_yuan": Decimal(300 * scale)}
        with use_clock(lambda: T):
            disaster_service.submit(db=db, actor=SYSTEM, incident_id=slide.id, data=DisasterReportCreate(
                kind=kind, as_of=T, figures={LABAO: township, "district": township}))
    ids["slide"] = slide.id
    inputs.set_input(db=db, actor=SYSTEM, year=2018, data=YearInputWrite(gdp_yi=Decimal(300), population=500_000))
    db.flush()
    return ids


def test_each_indicator_of_a_small_year_by_hand(db) -> None:
    ids = _small_year(db)
    y = figures.year(db=db, actor=SYSTEM, year=2018)
    f = y.figures
    # 2 + 1 + 12 + 3 (road traffic is a work-safety accident); the drill's 5 are left out
    assert f.work_safety_deaths == 18
    assert f.major_accidents == 1 and y.ids["major"] == [ids["major"]]
    assert f.road_traffic_deaths == 3 and y.ids["road_traffic"] == [ids["road"]]
    assert ids["drill"] not in y.ids["work_safety"] and y.records.drills_left_out == 2
    # the last report (续报) counts: 600 万元, 1 dead, 2,500 person-times; the drill flood does not
    assert f.disaster_loss_yuan == Decimal(6_000_000) and f.disaster_deaths == 1
    assert f.affected_person_times == 2500 and y.ids["disaster"] == [ids["slide"]]

    def one(code):
        return compute(code, [f])

    assert one("work_safety_deaths").value == 18
    assert one("major_accidents").value == 1 and one("major_accidents").met is False
    assert one("deaths_per_100m_gdp").value == Decimal("0.06")  # 18 / 300 亿元
    assert one("disaster_loss_share_of_gdp").value == Decimal("0.02")  # 600万 / 300亿 × 100 %
    assert one("disaster_deaths_per_million").value == 2  # 1 / 500,000 × 10⁶
    assert one("affected_per_100k").value == 500  # 2,500 / 500,000 × 10⁵
    road = one("road_deaths_per_10k_vehicles")  # vehicles not given: missing, not zero
    assert road.value is None and road.missing == ["2018年vehicles"]
    assert figures.missing_label(road.missing[0]) == "2018年机动车保有量"


def test_a_disaster_without_a_report_makes_its_figures_missing(db) -> None:
    with use_clock(lambda: T):
        report(db, kind="flood", occurred_at=T)
    inputs.set_input(db=db, actor=SYSTEM, year=2018, data=YearInputWrite(gdp_yi=Decimal(300), population=500_000))
    f = figures.year(db=db, actor=SYSTEM, year=2018).figures
    assert f.disaster_loss_yuan is None and f.affected_person_times is None
    value = compute("affected_per_100k", [f])
    assert value.value is None and value.missing == ["2018年affected_person_times"]


def test_the_records_behind_a_figure(api, db) -> None:
    ids = _small_year(db)
    r = api("duty").get("/api/v1/stats/records/2018/work_safety")
    assert r.status_code == 200, r.text
    got = {i["id"] for i in r.json()["items"]}
    assert got == {ids["a"], ids["b"], ids["major"], ids["road"]}  # not the drill
    assert api("duty").get("/api/v1/stats/records/2018/nonsense").status_code == 422


def test_demo_indicators_for_2021_to_2025(api) -> None:
    """The incidents demo's deaths (29 accidents with 31 deaths in 2021 … 22 with 26 in 2025) over the demo
    GDP (331.20 … 388.30 亿元), no major accident, and the yearly natural disaster's reports."""
    r = api("leader").get("/api/v1/stats/indicators")
    assert r.status_code == 200, r.text
    rows = {i["code"]: i for i in r.json()["items"]}
    deaths = rows["work_safety_deaths"]["by_year"]
    assert deaths == {"2021": "31.0000", "2022": "30.0000", "2023": "29.0000", "2024": "28.0000",
                      "2025": "26.0000"}
    assert rows["work_safety_deaths"]["value"] == "26.0000" and rows["work_safety_deaths"]["met"] is True
    assert rows["major_accidents"]["met"] is True
    assert rows["deaths_per_100m_gdp"]["by_year"]["2021"] == "0.0936"  # 31 / 331.20
    assert rows["deaths_per_100m_gdp"]["by_year"]["2025"] == "0.0670"  # 26 / 388.30
    affected = rows["affected_per_100k"]
    assert all(v is not None and Decimal(v) > 0 for v in affected["by_year"].values())
    assert rows["affected_per_100k"]["missing"] == []
    assert rows["work_safety_deaths"]["records"]["2023"]["work_safety"] == "/api/v1/stats/records/2023/work_safety"


def test_a_missing_input_shows_as_missing_through_the_api(api) -> None:
    duty = api("duty")
    r = duty.put("/api/v1/stats/inputs/2023", json={"gdp_yi": "356.40", "population": None, "vehicles": 151800})
    assert r.status_code == 200, r.text
    rows = {i["code"]: i for i in duty.get("/api/v1/stats/indicators").json()["items"]}
    assert rows["affected_per_100k"]["by_year"]["2023"] is None
    assert rows["affected_per_100k"]["value"] is None  # a 年均 with one year missing is missing
    assert "2023年常住人口" in rows["affected_per_100k"]["missing"]
    assert rows["deaths_per_100m_gdp"]["by_year"]["2023"] == "0.0814"  # 29 / 356.40: unaffected
