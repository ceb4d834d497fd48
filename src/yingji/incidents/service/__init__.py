"""Use cases of the incidents capability, split by subject. Other capabilities call these (never the
tables): ``from yingji.incidents import service as incidents_service``."""

from yingji.incidents.service.changes import change_casualties, check_version, close, detail, merge, regrade
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

__all__ = [
    "accept",
    "add_item",
    "change_casualties",
    "check_overdue",
    "check_version",
    "close",
    "close_item",
    "deadlines",
    "derive",
    "detail",
    "dismiss",
    "duty_day",
    "extend_open",
    "fulfil",
    "get_incident",
    "grade",
    "hand_over",
    "handovers",
    "import_roster",
    "incident_obligations",
    "kinds",
    "list_incidents",
    "list_proposals",
    "merge",
    "on_duty_now",
    "open_counts",
    "open_items",
    "pending_count",
    "pending_for_alarm",
    "propose_from_alarm",
    "regrade",
    "relief_table",
    "report_incident",
    "report_rules",
    "roster",
    "shift_of",
    "sync",
    "template",
]
