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
]


# Fictitious people: common surnames of the region and given names, and mobile numbers of valid shape.
SURNAMES = "韦覃黄蓝莫梁陆罗李张王陈刘杨周吴廖谭蒙卢潘龙唐农邓"
GIVEN = "明华强芳兰丽军平勇辉敏静杰涛斌霞婷燕峰磊宇鹏林凤秀英德福海龙春梅"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def mobile(rng: random.Random) -> str:
    return rng.choice(["13", "15", "17", "18", "19"]) + str(rng.randint(0, 9)) + f"{rng.randint(0, 99999999):08d}"


@dataclass
class DemoContext:
    """Shared state of one seed run: the random source and what earlier capabilities created."""

    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    created: dict[str, Any] = field(default_factory=dict)
