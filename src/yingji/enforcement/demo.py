"""Demo enforcement data (labelled demo data, generated): the enforceable items with their legal basis,
a checklist for each of 危化, 烟花爆竹, 非煤矿山, 工贸 and 建筑施工, the inspector roster (the demo
inspector accounts among them) with declared conflicts, standardisation grades, and draws in every state
(drawn; redrawn with its reason; committed and waiting), inspections of the drawn enterprises with findings
made hidden hazards and their documents, penalty cases at every step, one enterprise on the untrustworthy
list and the year's annual inspection plan, published."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.accounts import service as accounts_service
from yingji.core.actor import SYSTEM
from yingji.core.clock import utcnow
from yingji.core.demo import SEED, DemoContext, person_name
from yingji.core.pagination import PageParams
from yingji.enforcement.models import Case
from yingji.enforcement.schemas import (
    CaseAmount,
    CaseCreate,
    CaseStepCreate,
    ChecklistEntryCreate,
    ConflictCreate,
    DocumentCreate,
    DrawCreate,
    FindingCreate,
    HearingRequest,
    InspectionCreate,
    InspectorCreate,
    ItemCreate,
    ListingCreate,
    ListingDecision,
    PlanCreate,
    RedrawCreate,
)
from yingji.enforcement.service import cases, credit, draws, inspections, items, plans, roster
from yingji.enforcement.service.common import local_today
from yingji.geo import service as geo_service
from yingji.registry import service as registry_service

LAW = "《中华人民共和国安全生产法》"
ITEMS = [
    ("AJ-JC-HC-01", "危险化学品企业安全生产条件监督检查", "hazardous_chemicals",
     f"{LAW}第六十五条；《危险化学品安全管理条例》第六条"),
    ("AJ-JC-FW-01", "烟花爆竹经营单位安全生产监督检查", "fireworks",
     f"{LAW}第六十五条；《烟花爆竹安全管理条例》第四条"),
    ("AJ-JC-MN-01", "非煤矿山企业安全生产监督检查", "non_coal_mining",
     f"{LAW}第六十五条；《非煤矿矿山企业安全生产许可证实施办法》"),
    ("AJ-JC-IT-01", "工贸企业安全生产监督检查", "industry_trade",
     f"{LAW}第六十五条；《工贸企业重大事故隐患判定标准》"),
    ("AJ-JC-CS-01", "建筑施工安全生产监督检查", "construction",
     f"{LAW}第六十五条；《建设工程安全生产管理条例》第四十条"),
    ("AJ-CF-ALL-01", "未按规定对从业人员进行安全生产教育和培训的处罚", "all",
     f"{LAW}第九十七条第三项"),
]
# (content, method, basis) per industry
CHECKS = {
    "hazardous_chemicals": [
        ("安全生产许可证是否在有效期内", "查阅资料", "《危险化学品安全管理条例》第十四条"),
        ("重大危险源是否登记建档并设置监测监控", "现场检查",
         "《危险化学品重大危险源监督管理暂行规定》第十三条"),
        ("特种作业人员是否持证上岗", "抽查人员", f"{LAW}第三十条"),
    ],
    "fireworks": [
        ("储存仓库是否超量储存", "现场检查", "《烟花爆竹安全管理条例》第二十条"),
        ("是否在核准的地点经营", "现场检查", "《烟花爆竹经营许可实施办法》第二十一条"),
    ],
    "non_coal_mining": [
        ("安全出口是否畅通", "现场检查", "《金属非金属矿山安全规程》"),
        ("是否按规定进行顶板管理", "现场检查", "《金属非金属矿山安全规程》"),
    ],
    "industry_trade": [
        ("粉尘涉爆场所是否采取防爆措施", "现场检查", "《工贸企业粉尘防爆安全规定》第十五条"),
        ("有限空间作业是否审批并专人监护", "查阅资料",
         "《工贸企业有限空间作业安全规定》第十条"),
        ("安全生产教育和培训是否如实记录", "查阅资料", f"{LAW}第二十八条"),
    ],
    "construction": [
        ("深基坑、高支模是否编制专项施工方案", "查阅资料",
         "《危险性较大的分部分项工程安全管理规定》第十条"),
        ("施工起重机械是否经检验合格", "现场检查", "《建设工程安全生产管理条例》第三十五条"),
    ],
}

def _demo_seed(n: int) -> str:
    """The seed of the demo's n-th draw, derived from the demo's own seed: a random one would draw other
    enterprises on every load, and everything generated after them would differ too."""
    return hashlib.sha256(f"{SEED}-enforcement-draw-{n}".encode()).hexdigest()


def seed(db: Session, ctx: DemoContext) -> str:
    rng = ctx.rng
    made = {}
    for code, name, industry, basis in ITEMS:
        item = items.create_item(db=db, actor=SYSTEM, data=ItemCreate(
            code=code, name=name + "（演示）", kind="penalty" if "-CF-" in code else "inspection", industry=industry,
            basis=basis, department="区应急管理局"))
        item.is_demo = True
        items.publish_item(db=db, actor=SYSTEM, item_id=item.id)
        made[industry] = item
    draft = items.create_item(db=db, actor=SYSTEM, data=ItemCreate(
        code="AJ-JC-GAS-01", name="城镇燃气经营企业安全检查（演示，未公布）", industry="gas",
        basis=f"{LAW}第六十五条；《城镇燃气管理条例》", department="区应急管理局"))
    draft.is_demo = True
    n_checks = 0
    for industry, lines in CHECKS.items():
        for i, (content, method, basis) in enumerate(lines, start=1):
            entry = items.save_entry(db=db, actor=SYSTEM, data=ChecklistEntryCreate(
                industry=industry, number=f"1.{i}", item_code=made[industry].code, content=content, method=method,
                basis=basis))
            entry.is_demo = True
            n_checks += 1
    towns = geo_service.region_infos(db=db, level="township")
    accounts = accounts_service.active_user_ids(db=db, usernames=["inspector", "inspector2"])
    inspectors = []
    for n in range(10):
        user_id = accounts.get(["inspector", "inspector2"][n]) if n < 2 else None
        name = ["韦刚", "覃丽"][n] if n < 2 else person_name(rng)
        town = towns[n % len(towns)].code
        row = roster.add_inspector(db=db, actor=SYSTEM, data=InspectorCreate(
            name=name, certificate_no=f"45020620{n + 1:04d}", user_id=user_id, township_code=town,
            qualified=n < 8, equipment_fitted=n != 9))
        row.is_demo = True
        inspectors.append(row)
    trade, _ = registry_service.list_enterprises(db=db, actor=SYSTEM, page=PageParams(page=1, page_size=200),
                                                 industry="industry_trade")
    for e in trade[:3]:
        who = inspectors[rng.randrange(len(inspectors))].id
        roster.declare_conflict(db=db, actor=SYSTEM, data=ConflictCreate(
            inspector_id=who, enterprise_id=e.id, reason="近亲属在该企业任职（演示）"))
    for e in trade[3:8]:
        roster.set_grade(db=db, actor=SYSTEM, enterprise_id=e.id, grade=rng.choice(["1", "2", "3"]))
    first = draws.commit_draw(db=db, actor=SYSTEM, data=DrawCreate(
        title="工贸企业第一季度双随机抽查（演示）", item_id=made["industry_trade"].id, enterprises=min(4, len(trade)),
        max_per_inspector=2), seed=_demo_seed(1))
    draws.perform_draw(db=db, actor=SYSTEM, draw_id=first.id)
    chem = draws.commit_draw(db=db, actor=SYSTEM, data=DrawCreate(
        title="危险化学品企业专项双随机抽查（演示）", item_id=made["hazardous_chemicals"].id, enterprises=2,
        exclude_same_township=True), seed=_demo_seed(2))
    again = draws.redraw(db=db, actor=SYSTEM, draw_id=chem.id, data=RedrawCreate(
        reason="抽查对象库漏列新投产企业，补齐后重新抽取（演示）"), seed=_demo_seed(3))
    draws.perform_draw(db=db, actor=SYSTEM, draw_id=again.id)
    waiting = draws.commit_draw(db=db, actor=SYSTEM, data=DrawCreate(
        title="建筑施工双随机抽查（演示，待抽取）", item_id=made["construction"].id, enterprises=1),
        seed=_demo_seed(4))
    for d in (first, chem, again, waiting):
        d.is_demo = True
    n_inspections = _inspections(db, first, made["industry_trade"].id)
    n_cases = _cases(db, rng, [i.id for i in inspectors], trade)
    listed = _listing(db)
    plan = plans.draft_plan(db=db, actor=SYSTEM, data=PlanCreate(
        year=local_today().year, title=f"{local_today().year}年度安全生产监督检查计划（演示）",
        joint_industries=["fireworks"]))
    plan.is_demo = True
    plans.publish_plan(db=db, actor=SYSTEM, plan_id=plan.id)
    return (f"{len(ITEMS) + 1} 项执法事项，{n_checks} 条检查项，{len(inspectors)} 名执法人员，4 次双随机抽取，"
            f"{n_inspections} 次现场检查，{n_cases} 件行政处罚案件（各环节），"
            f"年度检查计划 1 份（{len(plan.targets)} 家），严重失信主体 {listed} 家")


def _listing(db: Session) -> int:
    """One enterprise on the untrustworthy list, on a decided demo case: noticed 20 days ago, then listed."""
    case = db.scalar(select(Case).where(Case.is_demo.is_(True), Case.party == "unit", Case.decided_at.is_not(None))
                     .order_by(Case.id))
    if case is None or case.enterprise_id is None:
        return 0
    row = credit.give_notice(db=db, actor=SYSTEM, data=ListingCreate(
        enterprise_id=case.enterprise_id, ground="concealed_accident", case_id=case.id,
        facts="迟报、瞒报一起造成 1 人受伤的生产安全事故（演示）"))
    row.noticed_at = utcnow() - timedelta(days=20)
    row.is_demo = True
    credit.decide(db=db, actor=SYSTEM, listing_id=row.id, data=ListingDecision())
    return 1


def _inspections(db: Session, drawn, item_id: int) -> int:
    """The drawn enterprises inspected by the inspectors drawn for them: checklists answered, a finding (a
    hidden hazard) at every other one, and the documents in their order up to a review."""
    numbers = [e.number for e in items.checklist(db=db, actor=SYSTEM, industry="industry_trade")]
    for n, a in enumerate(drawn.result):
        ins = inspections.start_inspection(db=db, actor=SYSTEM, data=InspectionCreate(
            client_key=f"demo-{drawn.draw_no}-{n}", item_id=item_id, enterprise_id=a["enterprise"],
            draw_id=drawn.id, inspector_ids=a["inspectors"]))
        ins.is_demo = True
        answers = {k: "ok" for k in numbers}
        inspections.issue_document(db=db, actor=SYSTEM, inspection_id=ins.id, data=DocumentCreate(kind="site_record"))
        if n % 2 == 0:
            answers[numbers[0]] = "finding"
            inspections.add_finding(db=db, actor=SYSTEM, inspection_id=ins.id, data=FindingCreate(
                client_key=f"demo-finding-{drawn.draw_no}-{n}", checklist_number=numbers[0],
                description="粉尘涉爆区域未设置泄爆装置（演示）"))
            inspections.issue_document(db=db, actor=SYSTEM, inspection_id=ins.id, data=DocumentCreate(
                kind="rectification_order", rectify_by=utcnow() + timedelta(days=30)))
            if n == 0:
                inspections.issue_document(db=db, actor=SYSTEM, inspection_id=ins.id,
                                           data=DocumentCreate(kind="review_opinion"))
        inspections.answer_checklist(db=db, actor=SYSTEM, inspection_id=ins.id, results=answers)
    return len(drawn.result)


MINOR = ["investigating", "notified", "decided", "served", "executing", "closed"]
# (violation, party, amount, steps after filing; "request" / "waive" are the party's answer to the notice)
CASES = [
    ("illegal_command", "unit", 15000, []),
    ("illegal_command", "unit", 12000, MINOR[:1]),
    ("illegal_command", "unit", 18000, MINOR[:2]),
    ("forced_risky_work", "unit", 30000, ["investigating", "notified", "request", "hearing"]),
    ("forced_risky_work", "unit", 25000, ["investigating", "notified", "waive", "legal_review"]),
    ("training_records_10_30pct", "unit", 50000,
     ["investigating", "notified", "waive", "legal_review", "collective_discussion"]),
    ("illegal_command", "unit", 20000, MINOR[:3]),
    ("illegal_command", "person", 3000, MINOR[:4]),
    ("illegal_command", "unit", 16000, MINOR[:5]),
    ("forced_risky_work", "unit", 30000, ["investigating", "notified", "request", "hearing", "legal_review",
                                          "collective_discussion", "decided", "served", "executing", "closed"]),
    ("illegal_command", "person", 2000, MINOR),
]


def _cases(db: Session, rng, roster: list[int], enterprises: list) -> int:
    now = utcnow()
    for n, (violation, party, yuan, path) in enumerate(CASES):
        e = enterprises[(n + 8) % len(enterprises)]
        team = roster[:2] if n % 2 == 0 else roster[2:4]
        at = now - timedelta(days=20 + 12 * len(path) + n)
        name = person_name(rng) if party == "person" else e.name
        case = cases.file_case(db=db, actor=SYSTEM, at=at, data=CaseCreate(
            enterprise_id=e.id, party=party, party_name=name, violation=violation, inspector_ids=team,
            person_id_no=f"45022119{rng.randint(60, 99)}0101{rng.randint(1000, 9999)}" if party == "person" else "",
            facts="现场检查发现违法行为（演示）"))
        case.is_demo = True
        cases.set_amount(db=db, actor=SYSTEM, case_id=case.id, data=CaseAmount(amount_yuan=Decimal(yuan)))
        for to in path:
            at += timedelta(days=10)
            if to in ("request", "waive"):
                cases.request_hearing(db=db, actor=SYSTEM, case_id=case.id, data=HearingRequest(
                    requested_at=at - timedelta(days=9), waived=to == "waive"))
                continue
            hearing_at = at + timedelta(days=25) if to == "hearing" else None
            cases.take_step(db=db, actor=SYSTEM, case_id=case.id, data=CaseStepCreate(
                step=to, at=at if to != "hearing" else at - timedelta(days=8), hearing_at=hearing_at,
                note="（演示）"))
            if to == "hearing":
                at = hearing_at
        if "decided" in path:
            cases.publish_decision(db=db, actor=SYSTEM, case_id=case.id)
    return len(CASES)

