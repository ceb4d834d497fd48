"""Enumerations of the risk capability, with their Chinese labels in one place."""

from enum import StrEnum


class RiskLevel(StrEnum):
    red = "red"
    orange = "orange"
    yellow = "yellow"
    blue = "blue"


LEVEL_LABELS = {
    RiskLevel.red: "重大风险（红）",
    RiskLevel.orange: "较大风险（橙）",
    RiskLevel.yellow: "一般风险（黄）",
    RiskLevel.blue: "低风险（蓝）",
}
LEVEL_SHORT = {RiskLevel.red: "红", RiskLevel.orange: "橙", RiskLevel.yellow: "黄", RiskLevel.blue: "蓝"}
# Higher is worse; stored on rows so that SQL can take the maximum.
LEVEL_RANK = {RiskLevel.red: 4, RiskLevel.orange: 3, RiskLevel.yellow: 2, RiskLevel.blue: 1}
RANK_LEVEL = {v: k for k, v in LEVEL_RANK.items()}
LEVEL_COLORS = {
    RiskLevel.red: "#c0392b",
    RiskLevel.orange: "#e67e22",
    RiskLevel.yellow: "#f1c40f",
    RiskLevel.blue: "#2980b9",
}


class GradingMethod(StrEnum):
    lec = "lec"
    matrix = "matrix"


METHOD_LABELS = {GradingMethod.lec: "LEC 作业条件危险性评价法", GradingMethod.matrix: "5×5 风险矩阵（L×S）"}


class UnitType(StrEnum):
    production = "production"
    storage = "storage"


UNIT_TYPE_LABELS = {UnitType.production: "生产单元", UnitType.storage: "储存单元"}
MAJOR_GRADE_LABELS = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}


class HazardGrade(StrEnum):
    general = "general"
    major = "major"


HAZARD_GRADE_LABELS = {HazardGrade.general: "一般隐患", HazardGrade.major: "重大隐患"}


class HazardSource(StrEnum):
    self_check = "self_check"
    inspection = "inspection"
    info_officer = "info_officer"
    public_report = "public_report"


HAZARD_SOURCE_LABELS = {
    HazardSource.self_check: "企业自查",
    HazardSource.inspection: "监管检查",
    HazardSource.info_officer: "灾害信息员报告",
    HazardSource.public_report: "群众举报",
}


class HazardStatus(StrEnum):
    reported = "reported"
    confirmed = "confirmed"
    rectifying = "rectifying"
    rectified = "rectified"
    verified = "verified"
    closed = "closed"
    rejected = "rejected"
    reopened = "reopened"


HAZARD_STATUS_LABELS = {
    HazardStatus.reported: "已上报",
    HazardStatus.confirmed: "已确认",
    HazardStatus.rectifying: "整改中",
    HazardStatus.rectified: "已整改待验收",
    HazardStatus.verified: "已验收",
    HazardStatus.closed: "已销号",
    HazardStatus.rejected: "已驳回（不属隐患）",
    HazardStatus.reopened: "已重新打开",
}
# Hazards still to be dealt with: counted as open, checked for overdue.
OPEN_STATUSES = (
    HazardStatus.reported,
    HazardStatus.confirmed,
    HazardStatus.rectifying,
    HazardStatus.rectified,
    HazardStatus.verified,
    HazardStatus.reopened,
)
# Before rectification is done: a passed deadline makes these overdue.
UNRECTIFIED_STATUSES = (HazardStatus.reported, HazardStatus.confirmed, HazardStatus.rectifying, HazardStatus.reopened)


class HazardAction(StrEnum):
    confirm = "confirm"
    reject = "reject"
    start = "start"
    complete = "complete"
    verify = "verify"
    return_ = "return"
    close = "close"
    reopen = "reopen"


ACTION_LABELS = {
    HazardAction.confirm: "确认隐患",
    HazardAction.reject: "驳回（不属隐患）",
    HazardAction.start: "开始整改",
    HazardAction.complete: "整改完成，申请验收",
    HazardAction.verify: "验收通过",
    HazardAction.return_: "验收不通过，退回整改",
    HazardAction.close: "销号",
    HazardAction.reopen: "重新打开",
}


class ReportStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"


REPORT_STATUS_LABELS = {
    ReportStatus.pending: "待核实",
    ReportStatus.accepted: "已受理，转为隐患",
    ReportStatus.rejected: "经核实不予受理",
}
