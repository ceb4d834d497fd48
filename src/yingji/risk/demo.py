"""Demo risk data for the reference district: risk points for every enterprise (more at the hazardous
industries) and some public places, major hazard sources at chemical enterprises, hidden hazards in every
state spread over the last year (some overdue, some under 挂牌督办), and a few public reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.orm import Session

from yingji.core.clock import use_clock, utcnow
from yingji.geo import service as geo_service
from yingji.registry import service as registry_service
from yingji.risk.enums import HazardAction, HazardGrade, HazardSource, HazardStatus
from yingji.risk.models import RiskPoint
from yingji.risk.schemas import FiveAssurances, HazardCreate, MajorHazardCreate, ReportDecision
from yingji.risk.service import escalation, hazards, major_hazards, reports
from yingji.risk.service.points import graded_fields


@dataclass(frozen=True)
class DemoActor:
    display_name: str
    id: int | None = None
    username: str = "demo"
    role: str = "system"
    scope_path: str | None = None
    enterprise_id: int | None = None

    def can(self, permission: str) -> bool:
        return True


INSPECTOR = DemoActor("区应急管理局 检查组")
COMPANY = DemoActor("企业安全管理员")

# (name, activity, hazards, controls, LEC weights)
POINTS = {
    "hazardous_chemicals": [
        ("液氨储罐区", "液氨储存与装卸", "泄漏、中毒、火灾爆炸", "气体检测报警、紧急切断、喷淋吸收、应急演练"),
        ("反应釜车间", "加热、加压反应", "超温超压、火灾爆炸", "DCS 自动控制、安全联锁、SIS"),
        ("危化品仓库", "甲醇、丙酮储存", "火灾、泄漏", "防爆电气、可燃气体报警、分区存放"),
        ("装卸站台", "槽车装卸", "静电、泄漏、车辆伤害", "静电接地、鹤管、作业票"),
        ("动火作业", "检维修动火", "火灾爆炸", "动火作业许可、气体分析、监护"),
    ],
    "fireworks": [
        ("成品仓库", "烟花爆竹储存", "燃烧爆炸", "限量存放、防雷、视频监控"),
        ("装卸作业", "搬运装卸", "撞击、摩擦起火", "轻拿轻放、专人监护"),
    ],
    "non_coal_mining": [
        ("采场边坡", "爆破、铲装", "坍塌、滑坡", "边坡监测、台阶开采"),
        ("爆破作业", "中深孔爆破", "爆破飞石、早爆", "爆破设计、警戒"),
    ],
    "metallurgy": [
        ("熔炼炉", "金属熔炼", "高温熔融金属喷溅、爆炸", "炉体冷却监测、防水"),
        ("煤气区域", "煤气输送", "中毒、爆炸", "CO 检测报警、双人作业"),
    ],
    "gas": [
        ("储配站", "燃气储存与调压", "泄漏、火灾爆炸", "泄漏检测、紧急切断"),
        ("管网巡检", "管网运行", "第三方破坏、泄漏", "巡线、标志桩"),
    ],
    "hazardous_waste": [("危废暂存库", "危险废物贮存", "泄漏、火灾、中毒", "防渗、分区、台账")],
    "crowded_place": [
        ("中庭及疏散通道", "人员聚集", "拥挤踩踏、火灾", "疏散指示、消防巡查"),
        ("厨房燃气", "餐饮用气", "燃气泄漏、火灾", "燃气报警、切断阀"),
    ],
}
GENERIC = [
    ("配电房", "电气运行", "触电、电气火灾", "定期检测、持证上岗"),
    ("特种设备", "起重、压力容器使用", "起重伤害、爆炸", "定期检验、持证操作"),
]
# (L, E, C) and how often: most points low or general, a few major — a plausible district.
LEC_CHOICES = [
    (1, 6, 7),
    (1, 3, 7),
    (0.5, 6, 15),
    (3, 3, 7),
    (1, 1, 7),
    (3, 3, 15),
    (1, 6, 15),
    (3, 6, 7),
    (3, 6, 15),
    (6, 6, 7),
    (6, 6, 15),
    (3, 6, 40),
]
LEC_WEIGHTS = [14, 12, 12, 10, 7, 12, 10, 8, 6, 5, 2, 2]
PUBLIC_PLACES = [("农贸市场", "九小场所"), ("小学", "人员密集场所"), ("供水厂", "生命线"), ("加油站", "九小场所")]

HAZARD_TITLES = [
    ("可燃气体报警器失效", "储罐区 2 台可燃气体报警器未检定，报警值设置错误"),
    ("安全出口堵塞", "二层东侧安全出口被货物堵塞"),
    ("特种作业人员无证上岗", "电工 1 名未取得特种作业操作证"),
    ("消防设施损坏", "室内消火栓水带缺失，灭火器压力不足"),
    ("安全联锁摘除", "反应釜温度联锁被长期摘除，未经审批"),
    ("边坡裂缝", "采场西侧边坡出现 3 m 长裂缝，未设警戒"),
    ("电气线路私拉乱接", "仓库内临时线路私拉乱接，无漏电保护"),
    ("应急预案未演练", "现场处置方案本年度未组织演练"),
]
# Target state of the walk and how many of each (major ones need 五落实 first).
STATE_PLAN = [
    (HazardStatus.reported, 6),
    (HazardStatus.confirmed, 6),
    (HazardStatus.rectifying, 10),
    (HazardStatus.rectified, 5),
    (HazardStatus.verified, 4),
    (HazardStatus.closed, 18),
    (HazardStatus.rejected, 3),
    (HazardStatus.reopened, 2),
]
WALKS = {
    HazardStatus.reported: [],
    HazardStatus.confirmed: ["confirm"],
    HazardStatus.rectifying: ["confirm", "start"],
    HazardStatus.rectified: ["confirm", "start", "complete"],
    HazardStatus.verified: ["confirm", "start", "complete", "verify"],
    HazardStatus.closed: ["confirm", "start", "complete", "return", "complete", "verify", "close"],
    HazardStatus.rejected: ["reject"],
    HazardStatus.reopened: ["confirm", "start", "complete", "verify", "close", "reopen"],
}
NOTES = {
    "reject": "经核查不属于事故隐患",
    "complete": "已按要求整改，附整改后照片",
    "return": "现场复核仍有问题，退回整改",
    "reopen": "回头看发现问题反弹，重新打开",
    "confirm": "现场核实属实",
    "start": "已制定整改方案",
    "verify": "现场验收合格",
    "close": "同意销号",
}


def _points(db: Session, ctx, enterprises: dict[str, list[int]]) -> int:
    rng, now, rows = ctx.rng, utcnow(), []
    for industry, ids in enterprises.items():
        templates = POINTS.get(industry, GENERIC)
        for eid in ids:
            e = registry_service.enterprise_info(db=db, enterprise_id=eid)
            k = len(templates) if industry == "hazardous_chemicals" else rng.randint(1, len(templates))
            for name, activity, hz, controls in templates[:k]:
                L, E, C = rng.choices(LEC_CHOICES, weights=LEC_WEIGHTS)[0]
                rows.append(
                    dict(
                        enterprise_id=eid,
                        place_name="",
                        region_path=e.region_path,
                        name=name,
                        location=name,
                        activity=activity,
                        hazards=hz,
                        controls=controls,
                        responsible_person="",
                        responsible_phone=None,
                        lon=(e.lon or 0) + rng.uniform(-0.0015, 0.0015) if e.lon else None,
                        lat=(e.lat or 0) + rng.uniform(-0.0015, 0.0015) if e.lat else None,
                        **graded_fields({"method": "lec", "L": L, "E": E, "C": C}),
                        created_at=now,
                        updated_at=now,
                    )
                )
    for v in geo_service.region_infos(db=db, level="village")[::6]:
        place, kind = rng.choice(PUBLIC_PLACES)
        grading = {"method": "matrix", "likelihood": rng.randint(1, 4), "severity": rng.randint(2, 5)}
        lon, lat = geo_service.random_point_in(db=db, code=v.code, rng=rng)
        rows.append(
            dict(
                enterprise_id=None,
                place_name=f"{v.name}{place}",
                region_path=v.path,
                name=f"{kind}：{place}",
                location=v.name,
                activity="公共场所运行",
                hazards="火灾、拥挤踩踏",
                controls="日常巡查",
                responsible_person="",
                responsible_phone=None,
                lon=lon,
                lat=lat,
                **graded_fields(grading),
                created_at=now,
                updated_at=now,
            )
        )
    db.execute(insert(RiskPoint), rows)
    return len(rows)


MAJOR_UNITS = [
    ("液氯储罐区", "storage", [{"name": "液氯", "quantity_t": 100}], 120),  # 一级
    ("液氨储罐区", "storage", [{"name": "液氨", "cas": "7664-41-7", "quantity_t": 300}], 40),  # 二级
    ("甲醇罐区", "storage", [{"name": "甲醇", "quantity_t": 2000}, {"name": "乙醇", "quantity_t": 1000}], 60),
    ("合成车间", "production", [{"name": "液氨", "quantity_t": 8}, {"name": "液氯", "quantity_t": 3}], 60),  # 四级
    ("LPG 储配站", "storage", [{"name": "液化石油气", "quantity_t": 30}, {"name": "氢", "quantity_t": 2}], 0),
    (
        "溶剂仓库",
        "storage",
        [{"name": "甲苯", "quantity_t": 200}, {"name": "丙酮", "quantity_t": 100}],
        20,
    ),  # not major
]


def seed(db: Session, ctx) -> str:
    rng = ctx.rng
    enterprises: dict[str, list[int]] = ctx.created.get("enterprises", {})
    n_points = _points(db, ctx, enterprises)
    chem = enterprises.get("hazardous_chemicals", [])
    for eid, (name, unit_type, subs, people) in zip(chem, MAJOR_UNITS, strict=False):
        major_hazards.create_source(
            db=db,
            actor=INSPECTOR,
            data=MajorHazardCreate(
                enterprise_id=eid, name=name, unit_type=unit_type, substances=subs, exposed_people=people
            ),
        )

    real_now = utcnow()
    pool = [
        eid
        for ind in (
            "hazardous_chemicals",
            "fireworks",
            "non_coal_mining",
            "metallurgy",
            "gas",
            "industry_trade",
            "crowded_place",
        )
        for eid in enterprises.get(ind, [])[:8]
    ]
    made, n = 0, 0
    for target, count in STATE_PLAN:
        for _ in range(count):
            eid = chem[n % 4] if n < 8 and chem else rng.choice(pool)
            n += 1
            title, desc = rng.choice(HAZARD_TITLES)
            major = n % 7 == 0 or (target == HazardStatus.rectifying and n % 3 == 0)
            # Found 5 to 330 days ago; open ones partly overdue: a deadline before now.
            found = real_now - timedelta(days=rng.randint(5, 330), hours=rng.randint(0, 20))
            days = rng.choice([3, 5, 10, 15, 30, 60])
            with use_clock(lambda t=found: t):
                h = hazards.create_hazard(
                    db=db,
                    actor=INSPECTOR,
                    data=HazardCreate(
                        enterprise_id=eid,
                        title=title,
                        description=desc,
                        grade=HazardGrade.major if major else HazardGrade.general,
                        source=rng.choice([HazardSource.inspection, HazardSource.self_check]),
                        deadline=found + timedelta(days=days),
                        responsible_person="安全负责人",
                    ),
                )
            t = found
            for step in WALKS[target]:
                t += timedelta(days=rng.randint(1, max(2, days // 3)), hours=rng.randint(1, 6))
                if t > real_now:
                    t = real_now - timedelta(minutes=rng.randint(1, 600))
                with use_clock(lambda t=t: t):
                    if step == "start" and h.grade == HazardGrade.major:
                        hazards.set_five_assurances(
                            db=db,
                            actor=COMPANY,
                            hazard_id=h.id,
                            data=FiveAssurances(
                                responsibility="企业主要负责人、安全总监",
                                measures="停用相关设施，更换并检定设备",
                                funds=Decimal(rng.randint(2, 80) * 1000),
                                plan="制定专项应急处置方案并演练",
                            ),
                        )
                    hazards.transition(
                        db=db,
                        actor=COMPANY if step in ("start", "complete") else INSPECTOR,
                        hazard_id=h.id,
                        action=HazardAction(step),
                        note=NOTES[step],
                    )
            if h.grade == HazardGrade.major and h.status not in ("closed", "rejected") and n % 2 == 0:
                hazards.supervise(db=db, actor=INSPECTOR, hazard_id=h.id, supervising_unit="柳江区安全生产委员会办公室")
            made += 1
    escalation.escalate_overdue(db=db)

    villages = geo_service.region_infos(db=db, level="village")
    texts = [
        "路边小作坊违规储存大量液化气钢瓶",
        "河边加油点无证经营，夜间有油气味",
        "出租屋内电动车违规充电，楼道堵塞",
        "工地塔吊附近无警戒，材料堆放过高",
        "废弃矿坑边无围挡，小孩常去玩耍",
        "商铺消防通道被封堵",
    ]
    codes = []
    for i, text in enumerate(texts):
        v = villages[(i * 17) % len(villages)]
        lon, lat = geo_service.random_point_in(db=db, code=v.code, rng=rng)
        r = reports.submit_report(db=db, lon=lon, lat=lat, place=f"{v.name}附近", description=text)
        codes.append(r.tracking_code)
        if i == 0:
            reports.decide(
                db=db,
                actor=INSPECTOR,
                report_id=r.id,
                data=ReportDecision(
                    accept=True,
                    title="违规储存液化气钢瓶",
                    grade=HazardGrade.general,
                    note="核实属实",
                    deadline=real_now + timedelta(days=7),
                ),
            )
        elif i == 1:
            reports.decide(
                db=db,
                actor=INSPECTOR,
                report_id=r.id,
                data=ReportDecision(accept=False, note="现场核查为合法加油站，未发现问题"),
            )
    ctx.created["risk_report_codes"] = codes
    units = min(len(chem), len(MAJOR_UNITS))
    return f"{n_points} 个风险点，{units} 个辨识单元，{made} 项隐患（各状态），{len(texts)} 条举报"
