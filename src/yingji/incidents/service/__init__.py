"""Use cases of the incidents capability, split by subject. Other capabilities call these (never the
tables): ``from yingji.incidents import service as incidents_service``."""

from yingji.incidents.service.board import open_board, orders_under_way
from yingji.incidents.service.changes import change_casualties, check_version, close, detail, merge, regrade
from yingji.incidents.service.command import (
    add_message,
    create_task,
    issue_sitrep,
    set_area,
    set_response,
    timeline,
    update_task,
    workspace,
)
from yingji.incidents.service.disaster import list_reports as list_disaster_reports
from yingji.incidents.service.dispatch import (
    advance,
    advance_by_token,
    check_unacknowledged,
    dispatch_team,
    get_order,
    open_shelter,
    order_by_token,
    register_evacuees,
    request_materials,
    team_candidates,
)
from yingji.incidents.service.drill_evaluation import evaluate as evaluate_drill_run
from yingji.incidents.service.drill_evaluation import evaluation_docx as drill_evaluation_docx
from yingji.incidents.service.drill_runs import finish as finish_drill_run
from yingji.incidents.service.drill_runs import get_run as get_drill_run
from yingji.incidents.service.drill_runs import list_runs as list_drill_runs
from yingji.incidents.service.drill_runs import start as start_drill_run
from yingji.incidents.service.drill_runs import take_step as take_drill_step
from yingji.incidents.service.duty import (
    add_item,
    close_item,
    duty_day,
    hand_over,
    handovers,
    import_roster,
    on_duty_now,
    open_items,
    roster,
    shift_of,
    template,
)
from yingji.incidents.service.grading import deadlines, derive, grade, kinds, relief_table, report_rules
from yingji.incidents.service.incidents import get_incident, list_incidents, report_incident
from yingji.incidents.service.obligations import check_overdue, extend_open, fulfil, incident_obligations, sync
from yingji.incidents.service.proposals import (
    accept,
    dismiss,
    list_proposals,
    open_counts,
    pending_count,
    pending_for_alarm,
    propose_from_alarm,
)
from yingji.incidents.service.yearly import YearRecords, year_records

__all__ = [
    "accept",
    "add_item",
    "add_message",
    "advance",
    "advance_by_token",
    "change_casualties",
    "check_overdue",
    "check_unacknowledged",
    "check_version",
    "close",
    "close_item",
    "create_task",
    "deadlines",
    "derive",
    "detail",
    "dismiss",
    "dispatch_team",
    "drill_evaluation_docx",
    "evaluate_drill_run",
    "finish_drill_run",
    "get_drill_run",
    "list_drill_runs",
    "start_drill_run",
    "take_drill_step",
    "duty_day",
    "extend_open",
    "fulfil",
    "get_incident",
    "get_order",
    "grade",
    "hand_over",
    "handovers",
    "import_roster",
    "incident_obligations",
    "issue_sitrep",
    "kinds",
    "list_disaster_reports",
    "list_incidents",
    "list_proposals",
    "merge",
    "on_duty_now",
    "open_board",
    "open_counts",
    "open_items",
    "open_shelter",
    "order_by_token",
    "orders_under_way",
    "pending_count",
    "pending_for_alarm",
    "propose_from_alarm",
    "register_evacuees",
    "regrade",
    "relief_table",
    "report_incident",
    "report_rules",
    "request_materials",
    "roster",
    "set_area",
    "set_response",
    "shift_of",
    "sync",
    "team_candidates",
    "template",
    "timeline",
    "update_task",
    "workspace",
    "year_records",
    "YearRecords",
]
