"""Demo plans (labelled demo data, generated): the district's general and special plans, department and
township plans, village plans, enterprise plans in every filing state, drills with findings and follow-up
actions, and training records giving rates below and above their targets."""

from __future__ import annotations

import io
from datetime import date, timedelta

from docx import Document
from sqlalchemy.orm import Session

from yingji.core import files
from yingji.core.actor import SYSTEM
from yingji.core.clock import utcnow
from yingji.core.demo import DemoContext, person_name
from yingji.geo import service as geo_service
from yingji.plans.schemas import (
    CertificateCreate,
    CommandRole,
    DrillCreate,
    DrillEvaluation,
    DrillRecord,
    FilingCreate,
    FilingDecision,
    FollowUp,
    PlanCreate,
    ResponseLevel,
    TraineeCreate,
    VersionCreate,
)
from yingji.plans.service import drills, filings, registry, training
from yingji.plans.service.common import local_today
from yingji.registry import service as registry_service

SPECIALS = [
    ("防汛抗旱专项应急预案", ["flood", "drought"]),
    ("森林火灾专项应急预案", ["forest_fire"]),
    ("危险化学品事故专项应急预案", ["hazardous_chemicals"]),
    ("地质灾害专项应急预案", ["geological"]),
]
LEVELS = [
    ResponseLevel(level="I", label="一级响应", trigger={"min_deaths": 10}, tasks=["区指挥部总指挥到场指挥"]),
    ResponseLevel(level="II", label="二级响应", trigger={"min_deaths": 3}, tasks=["副总指挥到场", "启动物资调拨"]),
    ResponseLevel(level="III", label="三级响应", trigger={"min_deaths": 1}, tasks=["牵头部门处置"]),
    ResponseLevel(level="IV", label="四级响应", trigger={"min_injured": 1}, tasks=["属地镇（街道）先期处置"]),
]
COMMAND = [
    CommandRole(role="总指挥", post="区长"),
    CommandRole(role="副总指挥", post="应急管理局局长"),
    CommandRole(role="现场救援组", post="消防救援大队大队长"),
]
ALL_PASSED = {k: True for k in ("materials_complete", "form_signed", "review_done", "structure_ok", "consistent")}


def _docx(text: str) -> bytes:
    doc = Document()
    doc.add_paragraph(f"【演示数据】{text}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _file(db: Session, text: str) -> int:
    return files.store(db, data=_docx(text), filename=f"{text}.docx", allowed={files.DOCX_TYPE}).id


def _plan(db: Session, title: str, kind: str, published: date, **extra) -> int:
    p = registry.create_plan(
        db=db,
        actor=SYSTEM,
        is_demo=True,
        data=PlanCreate(
            title=title, kind=kind, published_on=published, response_levels=LEVELS, command=COMMAND, **extra
        ),
    )
    registry.add_version(db=db, actor=SYSTEM, plan_id=p.id, data=VersionCreate(attachment_ids=[_file(db, title)]))
    return p.id


def seed(db: Session, ctx: DemoContext) -> str:
    rng, today, now = ctx.rng, local_today(), utcnow()
    towns = geo_service.region_infos(db=db, level="township")
    villages = geo_service.region_infos(db=db, level="village")
    general = _plan(db, "柳江区突发事件总体应急预案（演示）", "general", today - timedelta(days=3 * 365 + 40))
    plans = [general] + [
        _plan(db, f"柳江区{t}（演示）", "special", today - timedelta(days=rng.randint(200, 1000)), incident_kinds=k)
        for t, k in SPECIALS
    ]
    depts, _ = registry_service.list_departments(db=db, actor=SYSTEM, kind="department")
    for d in depts[:3]:
        plans.append(
            _plan(
                db,
                f"{d.name}部门应急预案（演示）",
                "department",
                today - timedelta(days=rng.randint(300, 900)),
                department_code=d.code,
            )
        )
    for t in towns:
        plans.append(
            _plan(
                db,
                f"{t.name}突发事件应急预案（演示）",
                "township",
                today - timedelta(days=rng.randint(100, 1200)),
                region_code=t.code,
            )
        )
    for v in villages[:6]:
        plans.append(
            _plan(db, f"{v.name}村（社区）应急预案（演示）", "village", today - timedelta(days=400), region_code=v.code)
        )
    # Enterprise plans, one per filing state, plus a 现场处置方案 each.
    enterprises = ctx.created.get("enterprises", {})
    chem = list(enterprises.get("hazardous_chemicals", []))[:4]
    states = ["deemed_filed", "accepted", "returned", "submitted"]
    ent_plans = []
    for eid, state in zip(chem, states, strict=False):
        pid = _plan(
            db, "生产安全事故综合应急预案（演示）", "ent_comprehensive", today - timedelta(days=40), enterprise_id=eid
        )
        _plan(db, "储罐区泄漏现场处置方案（演示）", "ent_on_site", today - timedelta(days=40), enterprise_id=eid)
        ent_plans.append(pid)
        mats = {
            k: _file(db, k)
            for k in ("application_form", "review_opinion", "risk_assessment", "resource_survey", "plan_document")
        }
        back = {"deemed_filed": 30, "accepted": 25, "returned": 12, "submitted": 0}[state]
        f = filings.submit(
            db=db, actor=SYSTEM, data=FilingCreate(plan_id=pid, materials=mats), now=now - timedelta(days=back, hours=1)
        )
        if state == "accepted":
            filings.decide(
                db=db,
                actor=SYSTEM,
                filing_id=f.id,
                now=now - timedelta(days=back - 1),
                data=FilingDecision(decision="accepted", checklist=ALL_PASSED),
            )
        elif state == "returned":
            filings.decide(
                db=db,
                actor=SYSTEM,
                filing_id=f.id,
                now=now - timedelta(days=back - 1),
                data=FilingDecision(decision="returned", reasons="风险评估结果未覆盖装卸作业环节，请补充后重新报送"),
            )
    filings.deem_overdue(db=db, now=now)
    # Drills with findings and follow-ups.
    held = 0
    for pid, days in [(general, 200), (plans[1], 90)] + [(p, 60) for p in ent_plans[:2]]:
        d = drills.create_drill(
            db=db,
            actor=SYSTEM,
            data=DrillCreate(
                plan_id=pid,
                kind=rng.choice(["tabletop", "functional", "full_scale"]),
                scenario="暴雨引发内涝及危化品泄漏（演示）",
                planned_on=today - timedelta(days=days),
                participants=[{"unit": "区应急管理局"}, {"unit": "消防救援大队"}],
            ),
        )
        drills.record_drill(
            db=db,
            actor=SYSTEM,
            drill_id=d.id,
            data=DrillRecord(
                held_on=today - timedelta(days=days), attendance=rng.randint(20, 120), reported_to_county=held % 2 == 0
            ),
        )
        drills.evaluate_drill(
            db=db,
            actor=SYSTEM,
            drill_id=d.id,
            data=DrillEvaluation(
                preparation="方案、脚本和保障到位",
                execution="信息报告及时，先期处置到位",
                effect="基本达到演练目的",
                problems=["现场通讯组与指挥部联络不畅"],
                requires_revision=held == 0,
                actions=[
                    FollowUp(
                        finding="现场通讯组与指挥部联络不畅",
                        action="配发350兆对讲机并更新通讯录",
                        owner=person_name(rng),
                        due_on=today + timedelta(days=30),
                    )
                ],
            ),
        )
        held += 1
    # Training records: two rates below target, three at or above.
    district = geo_service.region_infos(db=db, level="district")[0]
    specs = [
        ("regulator_key_industry", 8, 6),
        ("natural_disaster_post", 10, 5),
        ("enforcement_staff", 10, 9),
        ("high_risk_worker", 12, 5),
        ("fire_commander", 4, 4),
    ]
    people = 0
    for category, n, good in specs:
        for i in range(n):
            t = training.create_trainee(
                db=db,
                actor=SYSTEM,
                data=TraineeCreate(
                    name=person_name(rng),
                    category=category,
                    region_code=district.code,
                    organisation="（演示）",
                    specialised=(i < good)
                    if category in ("regulator_key_industry", "natural_disaster_post", "enforcement_staff")
                    else None,
                ),
            )
            people += 1
            kind = {"high_risk_worker": "special_operations", "fire_commander": "commander"}.get(category)
            if kind and i < good:
                training.add_certificate(
                    db=db,
                    actor=SYSTEM,
                    data=CertificateCreate(
                        trainee_id=t.id,
                        kind=kind,
                        number=f"DEMO-{t.id:05d}",
                        issued_on=today - timedelta(days=400 + i * 30),
                        expires_on=today + timedelta(days=20 + 40 * i),
                    ),
                )
    return f"{len(plans) + 2 * len(ent_plans)} 件预案，{len(ent_plans)} 件企业备案，{held} 次演练，{people} 名培训人员"
