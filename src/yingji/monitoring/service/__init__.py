"""Monitoring use cases, split by use case: sensors, ingest (with the rule engine), rules, alarms, storage.
Other capabilities use these functions (never the tables)."""

from yingji.monitoring.service.alarm_notices import escalate
from yingji.monitoring.service.alarm_notices import my_escalations as notices
from yingji.monitoring.service.alarms import (
    acknowledge,
    alarm_events,
    annotate,
    close,
    evaluate_silence,
    get_alarm,
    list_alarms,
    resolve_held,
)
from yingji.monitoring.service.events import (
    EventRow,
    acknowledge_event,
    checked_filters,
    event_members,
    list_events,
)
from yingji.monitoring.service.handoff import AlarmFacts, alarm_facts
from yingji.monitoring.service.ingest import MAX_BATCH, IngestOutcome, ingest
from yingji.monitoring.service.readings import parse_ts, recent_rejections, record_rejection
from yingji.monitoring.service.rules import (
    create_rule,
    get_rule,
    install_pack,
    list_rules,
    rule_versions,
    thresholds_for,
    update_rule,
)
from yingji.monitoring.service.sensors import (
    create_sensor,
    delete_sensor,
    excel_template,
    export_sensors,
    get_sensor,
    import_sensors,
    list_sensors,
    sensor_code,
    sensor_codes,
    sensor_state,
    update_sensor,
)
from yingji.monitoring.service.storage import ensure_partitions, purge_raw, rollup, series

__all__ = [
    "AlarmFacts",
    "EventRow",
    "acknowledge_event",
    "checked_filters",
    "alarm_facts",
    "event_members",
    "list_events",
    "MAX_BATCH",
    "IngestOutcome",
    "acknowledge",
    "alarm_events",
    "annotate",
    "close",
    "create_rule",
    "create_sensor",
    "delete_sensor",
    "ensure_partitions",
    "escalate",
    "evaluate_silence",
    "excel_template",
    "export_sensors",
    "get_alarm",
    "get_rule",
    "get_sensor",
    "import_sensors",
    "ingest",
    "install_pack",
    "list_alarms",
    "list_rules",
    "list_sensors",
    "notices",
    "parse_ts",
    "purge_raw",
    "recent_rejections",
    "record_rejection",
    "resolve_held",
    "rollup",
    "rule_versions",
    "sensor_code",
    "sensor_codes",
    "sensor_state",
    "series",
    "thresholds_for",
    "update_rule",
    "update_sensor",
]
