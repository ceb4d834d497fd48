"""The demo kit every capability's ``demo.py`` may use: the seeded random source and the shared state
of one seed run (``DemoContext``), fictitious names and mobile numbers, and the demo accounts.

It lives in the shared kernel so that capability demos never import the root ``yingji.demo`` (which
imports them all to run the seed).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

DEMO_LABEL = "柳江区（演示）"
SEED = 20210601

# Demo accounts: one per role, passwords printed by ``make run``. Change or remove them in production.
DEMO_USERS: list[dict[str, Any]] = [
    {"username": "admin", "password": "yingji-admin-2026", "role": "admin", "display_name": "系统管理员"},
    {"username": "duty", "password": "yingji-duty-2026", "role": "duty_officer", "display_name": "值班员 韦明"},
    {"username": "leader", "password": "yingji-leader-2026", "role": "leader", "display_name": "局领导 覃华"},
    {"username": "liaison", "password": "yingji-liaison-2026", "role": "liaison", "display_name": "气象局联络员 黄磊"},
    {
        "username": "labao",
        "password": "yingji-labao-2026",
        "role": "township_officer",
        "display_name": "拉堡镇应急办 莫兰",
        "region": "township:0",
    },
    {
        "username": "officer",
        "password": "yingji-officer-2026",
        "role": "info_officer",
        "display_name": "灾害信息员 蓝芳",
        "region": "village:0",
    },
    {
        "username": "chem",
        "password": "yingji-chem-2026",
        "role": "enterprise_manager",
        "display_name": "企业安全员 梁强",
        "enterprise": "hazardous_chemicals:0",
    },
    {"username": "inspector", "password": "yingji-inspector-2026", "role": "inspector",
     "display_name": "执法人员 韦刚"},
    {"username": "inspector2", "password": "yingji-inspector2-2026", "role": "inspector",
     "display_name": "执法人员 覃丽"},
]


# Fictitious people: common surnames of the region and given names, and mobile numbers of valid shape.
SURNAMES = "韦覃黄蓝莫梁陆罗李张王陈刘杨周吴廖谭蒙卢潘龙唐农邓"
GIVEN = "明华强芳兰丽军平勇辉敏静杰涛斌霞婷燕峰磊宇鹏林凤秀英德福海龙春梅"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def mobile(rng: random.Random) -> str:
    return rng.choice(["13", "15", "17", "18", "19"]) + str(rng.randint(0, 9)) + f"{rng.randint(0, 99999999):08d}"


# Parts of demo place and trade names, as Guangxi village and company names are made: a first and a
# second syllable (龙 + 塘 → 龙塘村, 恒 + 泰 → 恒泰化工有限公司). Generated, never real places or firms.
PLACE_FIRST = "龙石大新古白黄马凤长高沙木竹平上下东西南北三六官里洛百福兰"
PLACE_SECOND = "塘岭坪寨屯洞江桥湾冲垌田头口坡圩岩山湖滩"
TRADE_FIRST = "恒华金瑞安融中鑫宏盛嘉顺广长立德新兴通富永泰锦隆昌"
TRADE_SECOND = "泰源桂丰达信柳盛业诚利晟和远昌旺润发辉祥鸿威"
ROAD_FIRST = "柳桂江新兴建和平文人民龙凤长滨东西南北"
ROAD_SECOND = "江城平安华康丰山湖园福宁乐泰"


def _unique(rng: random.Random, first: str, second: str, used: set[str], suffix: str) -> str:
    for _ in range(200):
        a, b = rng.choice(first), rng.choice(second)
        name = a + b + suffix
        if a != b and name not in used:
            used.add(name)
            return name
    raise RuntimeError("demo name parts exhausted")


def place_name(rng: random.Random, used: set[str], suffix: str = "村") -> str:
    """A realistic, generated village name (unique within ``used``)."""
    return _unique(rng, PLACE_FIRST, PLACE_SECOND, used, suffix)


def trade_name(rng: random.Random, used: set[str]) -> str:
    """A generated two-character trade name for a demo company."""
    return _unique(rng, TRADE_FIRST, TRADE_SECOND, used, "")


def road_address(rng: random.Random, town: str) -> str:
    road = rng.choice(ROAD_FIRST) + rng.choice(ROAD_SECOND) + rng.choice(("路", "街", "大道"))
    return f"{town}{road}{rng.randint(1, 300)}号"


@dataclass
class DemoContext:
    """Shared state of one seed run: the random source and what earlier capabilities created."""

    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    created: dict[str, Any] = field(default_factory=dict)
