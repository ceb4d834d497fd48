"""Demo yearly inputs (labelled as demo data) and the plan's task list for Liujiang, with a few progress
reports. Regional GDP for 2019 and 2020 is the plan's own (304.71 and 310.56 亿元, which with 33 and 30
deaths give its 0.1083 and 0.0966); the 2019 population is the one its 7,343 affected per 100,000 implies
(36,899 person-times on 502,500 people); the other years and the vehicles are demo figures on a plausible
line. Work-safety deaths, disasters and the rest come from the incidents demo (2021–2025)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from yingji.core.actor import SYSTEM
from yingji.core.demo import DemoContext
from yingji.stats.schemas import ProgressCreate, YearInputWrite
from yingji.stats.service import inputs, tasks

SOURCE = "演示数据（2019、2020年生产总值取自规划文本）"
# year: (GDP 亿元, resident population, registered vehicles)
INPUTS = {
    2019: ("304.71", 502_500, 118_000),
    2020: ("310.56", 505_300, 126_500),
    2021: ("331.20", 507_800, 135_200),
    2022: ("340.85", 509_600, 143_900),
    2023: ("356.40", 511_200, 151_800),
    2024: ("371.90", 512_500, 158_600),
    2025: ("388.30", 513_700, 165_000),
}
REPORTS = [  # (task code, year, status, note)
    ("Z2.4", 2022, "done", "【演示数据】118个行政村（社区）全部落实灾害信息员，名单已报区减灾委备案。"),
    ("Z12.1", 2023, "in_progress", "【演示数据】综合指挥平台一期上线，接入监测预警、应急资源和值班值守。"),
    ("G4", 2023, "done", "【演示数据】区、镇两级应急指挥中心建成并投入使用。"),
    ("Z14.1", 2024, "in_progress", "【演示数据】组织企业和救援队伍开放日6场。"),
]


def seed(db: Session, ctx: DemoContext) -> str:
    for year, (gdp, people, vehicles) in INPUTS.items():
        inputs.set_input(db=db, actor=SYSTEM, year=year, is_demo=True, data=YearInputWrite(
            gdp_yi=Decimal(gdp), population=people, vehicles=vehicles, source=SOURCE))
    n = tasks.load_tasks(db=db, actor=SYSTEM)
    by_code = {p.task.code: p.task for p in tasks.list_tasks(db=db, actor=SYSTEM)}
    for code, year, status, note in REPORTS:
        tasks.report_progress(db=db, actor=SYSTEM, task_id=by_code[code].id, data=ProgressCreate(
            year=year, status=status, note=note, department=by_code[code].lead))
    return f"年度基础数据 {len(INPUTS)} 年（演示），规划任务 {n} 项，进度填报 {len(REPORTS)} 条"
