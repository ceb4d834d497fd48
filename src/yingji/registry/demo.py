"""Demo departments, township offices, enterprises and people for the reference district.

Figures follow the plan: 118 information officers (one per village), 118 community response teams with
695 members in total, and 11 enterprises (hazardous chemicals, fireworks, non-coal mines) under remote
video monitoring. Names, codes and phone numbers are generated and fictitious.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core.actor import SYSTEM
from yingji.core.demo import mobile, person_name
from yingji.geo import service as geo_service
from yingji.registry import service
from yingji.registry.enums import Industry
from yingji.registry.schemas import EnterpriseCreate
from yingji.registry.standards import USCC_CHARSET, uscc_check_char

DEPARTMENTS = [
    ("yjj", "柳江区应急管理局", "区应急管理局", "综合协调、值班值守、预警发布审核、指挥调度"),
    ("xf", "柳江区消防救援大队", "消防救援大队", "火灾扑救、综合性应急救援"),
    ("sl", "柳江区水利局", "水利局", "水旱灾害防御、水文与水库监测"),
    ("zrzy", "柳江区自然资源局", "自然资源局", "地质灾害防治、隐患点监测"),
    ("ly", "柳江区林业局", "林业局", "森林火灾预防、火情监测"),
    ("qx", "柳江区气象局", "气象局", "气象监测预报、预警信号发布"),
    ("zj", "柳江区住房和城乡建设局", "住建局", "建筑施工、城镇燃气、城市内涝"),
    ("jt", "柳江区交通运输局", "交通运输局", "道路运输、交通保障"),
    ("scjg", "柳江区市场监督管理局", "市场监管局", "特种设备安全"),
    ("ga", "柳州市公安局柳江分局", "公安分局", "治安、交通管制、人员疏散"),
    ("wj", "柳江区卫生健康局", "卫健局", "医疗救治、卫生防疫"),
    ("jy", "柳江区教育局", "教育局", "学校安全、避难场所（学校）"),
    ("gx", "柳江区工业和信息化局", "工信局", "工贸行业安全、应急通信"),
    ("sthj", "柳州市柳江生态环境局", "生态环境局", "危险废物、突发环境事件"),
]

# (industry, count, name stems, suffix)
ENTERPRISE_MIX = [
    (
        Industry.hazardous_chemicals,
        26,
        ["恒泰", "华源", "金桂", "瑞丰", "安达", "融信", "中柳", "鑫盛"],
        "化工有限公司",
    ),
    (Industry.fireworks, 6, ["红运", "吉祥", "盛世"], "烟花爆竹经营部"),
    (Industry.non_coal_mining, 14, ["青山", "石岩", "龙岩", "峰林"], "石场"),
    (Industry.metallurgy, 9, ["柳钢配套", "宏达", "金泰"], "金属制品有限公司"),
    (
        Industry.industry_trade,
        104,
        ["桂柳", "江南", "嘉禾", "新兴", "顺达", "恒源", "广汇", "长青", "立信", "德丰"],
        "制造有限公司",
    ),
    (Industry.construction, 52, ["城建", "宏建", "盛华", "柳建", "桂中"], "建筑工程有限公司"),
    (Industry.road_transport, 34, ["通达", "畅行", "顺风", "八桂"], "运输有限公司"),
    (Industry.special_equipment, 18, ["安心", "恒力", "通用"], "设备有限公司"),
    (Industry.hazardous_waste, 5, ["净源", "清源"], "环保科技有限公司"),
    (Industry.gas, 8, ["柳江", "华润", "中燃"], "燃气有限公司"),
    (Industry.crowded_place, 40, ["万达", "步步高", "新世纪", "百朋", "江湾"], "商贸广场"),
]
REMOTE_VIDEO = {Industry.hazardous_chemicals: 6, Industry.fireworks: 2, Industry.non_coal_mining: 3}  # 11 in all

COMMUNITY_TEAMS = 118
COMMUNITY_MEMBERS = 695


def uscc(rng, used: set[str]) -> str:
    safe = USCC_CHARSET.replace("0", "")  # any of the 31 characters would do; avoid all-zero bodies
    while True:
        body = "91450206" + "".join(rng.choice(safe) for _ in range(9))
        code = body + uscc_check_char(body)
        if code not in used:
            used.add(code)
            return code


def _member_counts(rng, teams: int, members: int) -> list[int]:
    """``teams`` team sizes between 4 and 8 that add up to ``members``."""
    sizes = [members // teams] * teams
    for i in range(members - sum(sizes)):
        sizes[i % teams] += 1
    for _ in range(teams * 2):  # shuffle sizes around while keeping the total and the bounds
        a, b = rng.randrange(teams), rng.randrange(teams)
        if sizes[a] > 4 and sizes[b] < 8:
            sizes[a] -= 1
            sizes[b] += 1
    return sizes


def seed(db: Session, ctx) -> str:
    rng = ctx.rng
    townships = geo_service.region_infos(db=db, level="township")
    villages = geo_service.region_infos(db=db, level="village")

    for code, name, short, duties in DEPARTMENTS:
        service.create_department(
            db=db,
            actor=SYSTEM,
            code=code,
            name=name,
            short_name=short,
            duties=duties,
            phone=f"0772-72{rng.randint(10000, 99999)}",
        )
    for t in townships:
        service.create_department(
            db=db,
            actor=SYSTEM,
            code=f"office-{t.code}",
            name=f"{t.name}应急管理办公室",
            short_name=f"{t.name}应急办",
            kind="township_office",
            region_code=t.code,
            duties="本镇（街道）应急管理、隐患排查、灾情报告",
        )

    used: set[str] = set()
    enterprises: dict[str, list[int]] = {}
    for industry, count, stems, suffix in ENTERPRISE_MIX:
        video_left = REMOTE_VIDEO.get(industry, 0)
        for i in range(count):
            # Enterprises cluster where people are: weight townships by population.
            township = rng.choices(townships, weights=[t.population for t in townships])[0]
            lon, lat = geo_service.random_point_in(db=db, code=township.code, rng=rng)
            stem = stems[i % len(stems)]
            name = f"柳州市{township.name[:-1]}{stem}{suffix}" + (
                f"（{i // len(stems) + 1}）" if i >= len(stems) else ""
            )
            data = EnterpriseCreate(
                name=name,
                uscc=uscc(rng, used),
                industry=industry,
                address=f"{township.name}演示路{rng.randint(1, 300)}号",
                lon=lon,
                lat=lat,
                legal_representative=person_name(rng),
                safety_contact=person_name(rng),
                safety_phone=mobile(rng),
                employees=rng.randint(8, 600),
                remote_video=video_left > 0,
            )
            video_left -= 1
            e = service.create_enterprise(db=db, actor=SYSTEM, data=data)
            enterprises.setdefault(industry.value, []).append(e.id)
            service.create_person(
                db=db,
                actor=SYSTEM,
                data=_person(rng, "安全负责人", enterprise_id=e.id, name=data.safety_contact, phone=data.safety_phone),
            )
    ctx.created["enterprises"] = enterprises

    # One information officer per village; a community response team in every village.
    for v in villages:
        service.create_person(db=db, actor=SYSTEM, data=_person(rng, "灾害信息员", region_code=v.code))
        service.create_person(db=db, actor=SYSTEM, data=_person(rng, "村（社区）主任", region_code=v.code))
    sizes = _member_counts(rng, COMMUNITY_TEAMS, COMMUNITY_MEMBERS)
    for v, size in zip(villages, sizes, strict=False):
        for k in range(size):
            title = "社区响应队队长" if k == 0 else "社区响应队队员"
            service.create_person(db=db, actor=SYSTEM, data=_person(rng, title, region_code=v.code))
    for code, _name, _short, _duties in DEPARTMENTS:
        service.create_person(db=db, actor=SYSTEM, data=_person(rng, "应急联络员", department_code=code))
    ctx.created["community_team_sizes"] = dict(zip([v.code for v in villages], sizes, strict=False))

    total = sum(len(ids) for ids in enterprises.values())
    return (
        f"{len(DEPARTMENTS)} 个部门，{len(townships)} 个镇应急办，{total} 家企业（远程视频 "
        f"{sum(REMOTE_VIDEO.values())} 家），{len(villages)} 名灾害信息员，{COMMUNITY_TEAMS} 支社区响应队 "
        f"{COMMUNITY_MEMBERS} 人"
    )


def _person(rng, title: str, *, name: str | None = None, phone: str | None = None, **org):
    from yingji.registry.schemas import PersonCreate

    return PersonCreate(name=name or person_name(rng), phone=phone or mobile(rng), title=title, **org)
