"""预案演练 in the shell: its menu entry (registry, filings, drills, training) and the plan's rates it
computes: the qualification rates of its training data, plans evaluated within their three years, and
drills held as often as their rule asks."""

from __future__ import annotations

from yingji.core.rates import RateProvider, RateValue
from yingji.plans.training import rate_rules
from yingji.web.shell import NavEntry

MENU = (NavEntry("plans", "预案演练", "/plans", "应急预案备案与修订、演练、培训", order=100),)


def _qualification(key: str):
    def compute(db, user, year):
        from yingji.plans.service import training

        rate = next(v.rate for v in training.rates(db=db, actor=user) if v.rate.rule.key == key)
        return RateValue(rate.value, rate.met, rate.population - rate.unknown, "人", "/plans/training",
                         f"未登记 {rate.unknown} 人" if rate.unknown else "")
    return compute


def _revision(db, user, year):
    from yingji.plans.service import revision

    rows = revision.evaluations_due(db=db, actor=user, states=("ok", "due_soon", "overdue"))
    known = len(rows)
    in_time = sum(1 for r in rows if r.state != "overdue")
    return RateValue(in_time / known if known else None, in_time, known, "件", "/plans/evaluations",
                     "已发布、在用预案中未超过三年评估期限的比例")


def _drills(db, user, year):
    from yingji.plans.service import drills

    rows = drills.drill_gaps(db=db, actor=user)
    ok = sum(1 for r in rows if r.status != "overdue")
    return RateValue(ok / len(rows) if rows else None, ok, len(rows), "项", "/plans/drills",
                     "按规定频次开展演练（未逾期）的预案或单位")


RATES = (
    *(RateProvider(f"plans.{r.key}", r.label, r.target, "plans.read", _qualification(r.key), source="/plans/training")
      for r in rate_rules()),
    RateProvider("plans.revision_in_time", "应急预案按期评估修订率", 1.0, "plans.read", _revision,
                 source="/plans/evaluations"),
    RateProvider("plans.drills_in_time", "应急预案按规定频次演练率", 1.0, "plans.read", _drills,
                 source="/plans/drills"),
)
