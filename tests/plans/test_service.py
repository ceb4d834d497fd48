"""Revision triggers, drill-frequency gaps, the rates from hand-built records, the certificate .docx."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from sqlalchemy import select

from tests.plans.helpers import bj, chem_enterprise, materials, plan, township
from yingji.core.actor import SYSTEM, SystemActor
from yingji.plans.schemas import (
    CertificateCreate,
    DrillCreate,
    DrillEvaluation,
    DrillRecord,
    EvaluationCreate,
    FilingCreate,
    FilingDecision,
    FollowUp,
    TraineeCreate,
    TriggerCreate,
)
from yingji.plans.service import drills, filings, revision, training
from yingji.plans.service.certificate import filing_certificate
from yingji.registry.models import Enterprise

ALL = {k: True for k in ("materials_complete", "form_signed", "review_done", "structure_ok", "consistent")}


def test_evaluation_three_years_or_each_trigger(db) -> None:
    p = plan(db, kind="township", region_code=township(db).code, published_on=date(2023, 3, 1))
    assert revision.evaluation_due(db=db, actor=SYSTEM, plan_id=p.id, today=date(2025, 6, 1)).due_on == date(2026, 3, 1)
    for code, on in [("command_changed", date(2025, 5, 20)), ("law_changed", date(2025, 4, 2))]:
        revision.add_trigger(db=db, actor=SYSTEM, plan_id=p.id, data=TriggerCreate(code=code, occurred_on=on))
    due = revision.evaluation_due(db=db, actor=SYSTEM, plan_id=p.id, today=date(2025, 6, 1))
    assert due.due_on == date(2025, 4, 2) and "法律" in due.reason and due.state == "overdue"
    revision.record_evaluation(db=db, actor=SYSTEM, plan_id=p.id,
                               data=EvaluationCreate(evaluated_on=date(2025, 5, 30), conclusion="keep"))
    after = revision.evaluation_due(db=db, actor=SYSTEM, plan_id=p.id, today=date(2025, 6, 1))
    assert after.due_on == date(2028, 5, 30) and after.state == "ok"


def test_drill_problems_trigger_an_evaluation_and_close_the_gap(db, fixed_clock) -> None:
    fixed_clock(bj(2026, 5, 10))
    # A mine: high-risk, and without the demo's plans or drills.
    e = db.scalar(select(Enterprise).where(Enterprise.industry == "non_coal_mining").order_by(Enterprise.id))
    main = plan(db, enterprise_id=e.id, published_on=date(2024, 1, 10))
    site = plan(db, kind="ent_on_site", enterprise_id=e.id, published_on=date(2024, 1, 10))
    gaps = {(g.plan.id if g.plan else None): g for g in drills.drill_gaps(db=db, actor=SYSTEM, today=date(2026, 5, 10))
            if g.enterprise_id == e.id}
    # 矿山 is high-risk: every half year; 2025-H2 passed without a drill.
    assert gaps[None].status == "overdue" and gaps[None].missed_period == (date(2025, 7, 1), date(2025, 12, 31))
    assert gaps[site.id].status == "overdue"
    d = drills.create_drill(db=db, actor=SYSTEM, data=DrillCreate(plan_id=main.id, kind="tabletop",
                                                                   scenario="储罐泄漏", planned_on=date(2026, 5, 8)))
    drills.record_drill(db=db, actor=SYSTEM, drill_id=d.id, data=DrillRecord(held_on=date(2026, 5, 8), attendance=30))
    drills.evaluate_drill(db=db, actor=SYSTEM, drill_id=d.id, data=DrillEvaluation(
        preparation="方案完整", execution="响应及时", effect="基本达到目的", problems=["通讯组联络不畅"],
        actions=[FollowUp(finding="通讯组联络不畅", action="更新通讯录", owner="安全部", due_on=date(2026, 6, 1))],
        requires_revision=True))
    assert revision.evaluation_due(db=db, actor=SYSTEM, plan_id=main.id).due_on == date(2026, 5, 8)
    assert len(drills.actions(db=db, actor=SYSTEM, drill_id=d.id)) == 1
    gaps = {(g.plan.id if g.plan else None): g for g in drills.drill_gaps(db=db, actor=SYSTEM, today=date(2026, 5, 10))
            if g.enterprise_id == e.id}
    # The unit's drill this half-year does not make up for the missed one; the on-site plan still owes its own.
    assert gaps[None].status == "overdue" and gaps[None].last_drill == date(2026, 5, 8)
    assert gaps[None].unreported == 1


def test_rates_from_hand_built_records(db) -> None:
    t = township(db)

    def person(category, specialised=None):
        return training.create_trainee(db=db, actor=SYSTEM, data=TraineeCreate(
            name="测试", category=category, specialised=specialised, region_code=t.code))

    for s in (True, True, True, False):  # 3 of 4 specialised: 75 %, the target reached
        person("regulator_key_industry", s)
    person("natural_disaster_post", None)  # known for nobody: missing, not 0 %
    w1, w2 = person("high_risk_worker"), person("high_risk_worker")
    training.add_certificate(db=db, actor=SYSTEM, data=CertificateCreate(
        trainee_id=w1.id, kind="special_operations", number="T1", issued_on=date(2024, 1, 1)))
    training.add_certificate(db=db, actor=SYSTEM, data=CertificateCreate(  # review due 2025-01-01: lapsed
        trainee_id=w2.id, kind="special_operations", number="T2", issued_on=date(2022, 1, 1)))
    # Seen from the township only: the records built here, none of the demo's district-level ones.
    here = SystemActor(scope_path=t.path)
    got = {r.rate.rule.key: r.rate for r in training.rates(db=db, actor=here, on=date(2026, 6, 1))}
    reg = got["regulators_key_industries"]
    assert (reg.population, reg.met, reg.value, reg.reached) == (4, 3, 0.75, True)
    post = got["regulators_natural_disaster"]
    assert (post.value, post.population, post.unknown) == (None, 1, 1)
    assert "enforcement_qualified" not in got  # 专栏4.1 is the enforcement roster's (one source)
    workers = got["high_risk_workers_certified"]
    assert (workers.value, workers.reached) == (0.5, True)
    assert got["fire_commanders_certified"].value is None
    assert w2.id in got["high_risk_workers_certified"].unmet_ids and w1.id in got["high_risk_workers_certified"].met_ids


def test_certificate_docx_opens_and_says_what_was_filed(db, fixed_clock) -> None:
    fixed_clock(bj(2025, 9, 26))
    p = plan(db, enterprise_id=chem_enterprise(db).id, title="储罐区火灾爆炸专项应急预案")
    f = filings.submit(db=db, actor=SYSTEM, data=FilingCreate(plan_id=p.id, materials=materials(db)))
    fixed_clock(bj(2025, 9, 29, 10))
    filings.decide(db=db, actor=SYSTEM, filing_id=f.id, data=FilingDecision(decision="accepted", checklist=ALL))
    name, data = filing_certificate(db=db, actor=SYSTEM, filing_id=f.id)
    doc = Document(io.BytesIO(data))
    text = "\n".join(par.text for par in doc.paragraphs)
    cells = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert "应急预案备案登记表" in text and f.certificate_no in text and f.certificate_no in name
    assert cells["预案名称"] == "储罐区火灾爆炸专项应急预案" and cells["备案结论"] == "已备案"
    assert cells["登记日期"] == "2025年09月29日" and "风险评估结果" in cells["备案材料"]
