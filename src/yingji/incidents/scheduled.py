"""Scheduled jobs of the incidents capability."""

from __future__ import annotations

from sqlalchemy.orm import Session

from yingji.core.jobs import scheduled
from yingji.incidents.service import dispatch, obligations


@scheduled("incidents.overdue_reports", every_s=60)
def overdue_reports(db: Session) -> str:
    """逾期未报的报告义务：提醒值班员，宽限期后提醒带班领导；续报义务向后延展一日"""
    added = obligations.extend_open(db)
    told = obligations.check_overdue(db)
    return f"新增报告义务 {added} 项，逾期提醒 {told} 条"


@scheduled("incidents.unacknowledged_orders", every_s=60)
def unacknowledged_orders(db: Session) -> str:
    """下达后超时未签收的调度指令：提醒值班室和事发镇街（待办）"""
    return f"未签收指令提醒 {dispatch.check_unacknowledged(db)} 条"
