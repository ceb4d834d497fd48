"""专栏1 indicators against hand-computed values; missing inputs stay missing, never zero."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from yingji.stats.indicators import Definition, IndicatorValue, YearFigures, compute, definitions, rounded

YI = Decimal(100_000_000)


def test_deaths_per_100m_gdp_matches_the_plan_review() -> None:
    # The plan: 2019 33 deaths → 0.1083, 2020 30 deaths → 0.0966 (GDP 304.71 and 310.56 亿元 fit these).
    y2019 = YearFigures(2019, work_safety_deaths=33, gdp_yuan=Decimal("304.71") * YI)
    assert rounded(compute("deaths_per_100m_gdp", [y2019]).value) == Decimal("0.1083")
    v = compute("deaths_per_100m_gdp", [YearFigures(2020, work_safety_deaths=30, gdp_yuan=Decimal("310.56") * YI)])
    assert rounded(v.value) == Decimal("0.0966")
    assert v.met is False  # target 0.0726


def test_deaths_and_major_accidents_against_their_targets() -> None:
    assert compute("work_safety_deaths", [YearFigures(2025, work_safety_deaths=28)]).met is True
    assert compute("work_safety_deaths", [YearFigures(2025, work_safety_deaths=29)]).met is False
    assert compute("major_accidents", [YearFigures(2025, major_accidents=0)]).met is True
    assert compute("major_accidents", [YearFigures(2025, major_accidents=1)]).met is False


def test_yearly_averages() -> None:
    years = [YearFigures(2021, disaster_loss_yuan=Decimal("1.8") * YI, gdp_yuan=300 * YI),  # 0.6 %
             YearFigures(2022, disaster_loss_yuan=Decimal("0.64") * YI, gdp_yuan=320 * YI)]  # 0.2 %
    share = compute("disaster_loss_share_of_gdp", years)
    assert share.value == Decimal("0.4") and share.met is True
    assert share.by_year == {2021: Decimal("0.6"), 2022: Decimal("0.2")}


def test_rates_per_population() -> None:
    affected = compute("affected_per_100k", [YearFigures(2019, affected_person_times=36_899, population=502_500)])
    assert rounded(affected.value, 0) == Decimal(7343)  # the plan's base value
    deaths = compute("disaster_deaths_per_million", [YearFigures(2023, disaster_deaths=1, population=502_500)])
    assert rounded(deaths.value, 2) == Decimal("1.99") and deaths.met is False
    road = compute("road_deaths_per_10k_vehicles", [YearFigures(2019, road_traffic_deaths=52, vehicles=100_000)])
    assert road.value == Decimal("5.2") and road.met is None  # no target in the plan


def test_a_missing_input_is_missing_not_zero() -> None:
    v = compute("deaths_per_100m_gdp", [YearFigures(2024, work_safety_deaths=25)])
    assert v.value is None and v.met is None
    assert v.missing == ["2024年gdp_yuan"]
    zero_population = compute("affected_per_100k", [YearFigures(2024, affected_person_times=10, population=0)])
    assert zero_population.value is None and zero_population.missing == ["2024年population"]
    nothing = compute("work_safety_deaths", [YearFigures(2024)])
    assert nothing.value is None and nothing.missing == ["2024年work_safety_deaths"]


def test_one_missing_year_makes_the_average_missing() -> None:
    years = [YearFigures(2021, disaster_deaths=0, population=500_000), YearFigures(2022, population=500_000)]
    v = compute("disaster_deaths_per_million", years)
    assert v.value is None and v.missing == ["2022年disaster_deaths"]
    assert v.by_year == {2021: Decimal(0), 2022: None}


RATES = {  # indicator: (numerator, denominator) as the plan defines them
    "deaths_per_100m_gdp": ("work_safety_deaths", "gdp_yuan"),
    "disaster_loss_share_of_gdp": ("disaster_loss_yuan", "gdp_yuan"),
    "disaster_deaths_per_million": ("disaster_deaths", "population"),
    "affected_per_100k": ("affected_person_times", "population"),
    "road_deaths_per_10k_vehicles": ("road_traffic_deaths", "vehicles"),
}


@pytest.mark.parametrize("code", [*RATES, "work_safety_deaths", "major_accidents"])
def test_a_year_with_no_figures_lacks_every_input(code: str) -> None:
    v = compute(code, [YearFigures(2024)])
    assert v.value is None and v.missing == [f"2024年{n}" for n in RATES.get(code, (code,))]


@pytest.mark.parametrize("code", list(RATES))
def test_a_zero_denominator_is_a_missing_input(code: str) -> None:
    numerator, denominator = RATES[code]
    v = compute(code, [YearFigures(2024, **{numerator: 1, denominator: 0})])
    assert v.value is None and v.missing == [f"2024年{denominator}"]


def test_rates_exactly_per_million_and_per_hundred_thousand() -> None:
    # 1 death in 500,000 people = 2 per million; 1 person affected in 100,000 = 1 per 100,000.
    assert compute("disaster_deaths_per_million", [YearFigures(2024, disaster_deaths=1, population=500_000)]
                   ).value == 2
    assert compute("affected_per_100k", [YearFigures(2024, affected_person_times=1, population=100_000)]).value == 1


def test_a_yearly_indicator_is_the_last_year_and_every_lacking_year_is_named() -> None:
    # 生产安全事故死亡人数 is the year's count, not a mean: 30 then 28 is 28 (the 2025 target is met).
    years = [YearFigures(2025, work_safety_deaths=28), YearFigures(2024, work_safety_deaths=30)]
    v = compute("work_safety_deaths", years)
    assert v.value == 28 and v.met is True and v.missing == []
    both = compute("affected_per_100k", [YearFigures(2021, population=1), YearFigures(2022, population=1)])
    assert both.value is None and both.missing == ["2021年affected_person_times", "2022年affected_person_times"]
    assert compute("work_safety_deaths", []).missing == ["没有数据"]


def test_plan_notes_and_an_indicator_without_comparison() -> None:
    assert definitions()["work_safety_deaths"].note == "下降15%"  # 专栏1: 下降15%
    assert definitions()["disaster_loss_share_of_gdp"].note == ""
    assert definitions()["work_safety_deaths"].average is False
    # A table row with a target but comparison "none" is never judged met or not met.
    d = Definition("x", "x", "参考", "人", Decimal(0), Decimal(1), "none", False, "")
    assert IndicatorValue(d, Decimal(0)).met is None
    bare = IndicatorValue(d, None)
    assert bare.missing == [] and bare.by_year == {}


def test_one_death_per_one_hundred_million_yuan_is_one_and_rounding_is_to_four_places() -> None:
    # 亿元 is 100,000,000 yuan: 1 death with a GDP of exactly 1 亿元 is 1 death per 亿元.
    assert compute("deaths_per_100m_gdp", [YearFigures(2024, work_safety_deaths=1, gdp_yuan=Decimal(100_000_000))]
                   ).value == 1
    assert str(rounded(Decimal(33) / Decimal("304.71"))) == "0.1083"  # four places, half up, as the plan prints
    assert str(rounded(Decimal("0.00005"))) == "0.0001" and rounded(None) is None


def test_figures_and_results_are_values_that_cannot_be_changed() -> None:
    figures = YearFigures(2024, work_safety_deaths=1)
    value = compute("work_safety_deaths", [figures])
    for obj, name in ((figures, "work_safety_deaths"), (value, "value"), (value.definition, "target")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, name, None)
