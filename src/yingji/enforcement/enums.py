"""Enumerations of the enforcement capability, with their Chinese labels for the UI in one place."""

from enum import StrEnum


class ItemKind(StrEnum):
    inspection = "inspection"  # 行政检查
    penalty = "penalty"  # 行政处罚
    coercion = "coercion"  # 行政强制


ITEM_KIND_LABELS = {ItemKind.inspection: "行政检查", ItemKind.penalty: "行政处罚", ItemKind.coercion: "行政强制"}


class ItemStatus(StrEnum):
    draft = "draft"
    published = "published"
    withdrawn = "withdrawn"


ITEM_STATUS_LABELS = {ItemStatus.draft: "未公布", ItemStatus.published: "已公布", ItemStatus.withdrawn: "已撤销"}


class DrawStatus(StrEnum):
    committed = "committed"  # seed hash and inputs' hashes published, not drawn yet
    drawn = "drawn"  # seed revealed, result published
    superseded = "superseded"  # replaced by a redraw (still published, with the reason on the redraw)


DRAW_STATUS_LABELS = {DrawStatus.committed: "已公布承诺，待抽取", DrawStatus.drawn: "已抽取",
                      DrawStatus.superseded: "已重新抽取（原记录保留）"}

# Industries whose yearly cap is the stricter row of cn-rules §11.3 (危化 and metal smelting).
HIGH_RISK_GROUP = {"hazardous_chemicals", "metallurgy"}
STANDARDISATION_GRADES = ("1", "2", "3", "none")
GRADE_LABELS = {"1": "一级", "2": "二级", "3": "三级", "none": "未达标"}
ALL_INDUSTRIES = "all"
