"""Kinds and states of the plans capability, with their Chinese labels (GLOSSARY.md)."""

from __future__ import annotations

from enum import StrEnum


class PlanKind(StrEnum):
    general = "general"  # 总体应急预案
    special = "special"  # 专项应急预案
    department = "department"  # 部门应急预案
    township = "township"  # 乡镇（街道）应急预案
    village = "village"  # 村（社区）应急预案
    ent_comprehensive = "ent_comprehensive"  # 企业综合应急预案
    ent_special = "ent_special"  # 企业专项应急预案
    ent_on_site = "ent_on_site"  # 现场处置方案
    ent_card = "ent_card"  # 应急处置卡


PLAN_KIND_LABELS = {
    PlanKind.general: "总体应急预案",
    PlanKind.special: "专项应急预案",
    PlanKind.department: "部门应急预案",
    PlanKind.township: "乡镇（街道）应急预案",
    PlanKind.village: "村（社区）应急预案",
    PlanKind.ent_comprehensive: "企业综合应急预案",
    PlanKind.ent_special: "企业专项应急预案",
    PlanKind.ent_on_site: "现场处置方案",
    PlanKind.ent_card: "应急处置卡",
}

ENTERPRISE_KINDS = frozenset({PlanKind.ent_comprehensive, PlanKind.ent_special, PlanKind.ent_on_site,
                              PlanKind.ent_card})

# The owner a plan kind belongs to, and the level it sits at.
OWNER_OF_KIND = {
    PlanKind.general: ("government", "district"),
    PlanKind.special: ("government", "district"),
    PlanKind.department: ("department", "district"),
    PlanKind.township: ("township", "township"),
    PlanKind.village: ("village", "village"),
    **{k: ("enterprise", "enterprise") for k in ENTERPRISE_KINDS},
}

# How a plan kind maps onto the drill rules of standards.drill_rule (owner, plan type); 应急处置卡 are
# carried by the workers and drilled with their 现场处置方案, so they have no rule of their own.
DRILL_TYPE_OF_KIND = {
    PlanKind.general: ("government", "general"),
    PlanKind.special: ("government", "special"),
    PlanKind.department: ("government", "department"),
    PlanKind.township: ("government", "township"),
    PlanKind.village: ("government", "village"),
    PlanKind.ent_comprehensive: ("enterprise", "comprehensive"),
    PlanKind.ent_special: ("enterprise", "special"),
    PlanKind.ent_on_site: ("enterprise", "on_site"),
}

LEVEL_LABELS = {"district": "区级", "township": "镇（街道）级", "village": "村（社区）级", "enterprise": "企业"}
PLAN_STATUS_LABELS = {"draft": "编制中", "in_force": "现行有效", "repealed": "已废止"}


class FilingStatus(StrEnum):
    submitted = "submitted"
    accepted = "accepted"
    returned = "returned"
    deemed_filed = "deemed_filed"


FILING_STATUS_LABELS = {
    FilingStatus.submitted: "待核对",
    FilingStatus.accepted: "已备案",
    FilingStatus.returned: "已退回",
    FilingStatus.deemed_filed: "视为已经备案",
}

# 生产安全事故应急预案管理办法 第二十七条: the materials of a filing. 评审意见 only where 评审 is mandatory.
FILING_MATERIALS = {
    "application_form": "应急预案备案申报表",
    "review_opinion": "应急预案评审意见",
    "risk_assessment": "风险评估结果",
    "resource_survey": "应急资源调查清单",
    "plan_document": "应急预案电子文档",
}
# The bureau's check (形式审查) item by item.
FILING_CHECKLIST = {
    "materials_complete": "备案材料齐全",
    "form_signed": "申报表经主要负责人签署并盖章",
    "review_done": "按规定组织评审并附评审意见（须评审的）",
    "structure_ok": "预案要素齐全（组织机构、响应分级、处置程序、保障措施）",
    "consistent": "与上级及相关预案衔接",
}

DRILL_KIND_LABELS = {"tabletop": "桌面演练", "functional": "功能演练", "full_scale": "综合演练（实战）"}
DRILL_STATUS_LABELS = {"planned": "计划", "held": "已实施", "evaluated": "已评估"}
# AQ/T 9009-2015 生产安全事故应急演练评估规范: the parts of the evaluation.
EVALUATION_PARTS = {"preparation": "演练准备", "execution": "演练实施", "effect": "演练效果", "problems": "存在问题"}
EVALUATION_CONCLUSIONS = {"keep": "继续有效", "revise": "需要修订"}
COURSE_KIND_LABELS = {"initial": "初次培训", "yearly": "年度再培训"}
CERTIFICATE_KIND_LABELS = {
    "special_operations": "特种作业操作证",
    "enforcement": "行政执法证",
    "commander": "指挥员资格证书",
    "safety_qualification": "安全生产知识和管理能力考核合格证",
    "other": "其他证书",
}
# High-risk units for drills (令2 第三十三条 / 条例 第八条: 危险物品 生产经营储存运输, 矿山, 金属冶炼, 建筑施工,
# 人员密集场所): they drill every half year and report it to the county.
DRILL_HIGH_RISK_INDUSTRIES = frozenset({"hazardous_chemicals", "fireworks", "gas", "hazardous_waste", "non_coal_mining",
                                        "metallurgy", "construction", "crowded_place"})
# High-risk sectors for training hours (令3: 矿山、危险化学品、烟花爆竹、金属冶炼).
TRAINING_HIGH_RISK_INDUSTRIES = frozenset({"hazardous_chemicals", "fireworks", "non_coal_mining", "metallurgy"})
# 评审 is mandatory (令2 第二十一条) for these industries; a 中型规模以上 unit of another sets it by hand.
REVIEW_REQUIRED_INDUSTRIES = frozenset({"hazardous_chemicals", "fireworks", "non_coal_mining", "metallurgy"})
