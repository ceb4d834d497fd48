"""Use cases of warning publication, split by use case:

* ``area``          the warning area (polygon, circle, regions) and the villages it touches
* ``authoring``     draft → submitted → approved → published; updates and cancellations
* ``recipients``    who receives a warning, by channel and village
* ``delivery``      delivery rows, the workers that send them, retries and fallback
* ``ingest``        CAP 1.2 and national-format messages from upstream agencies
* ``coverage``      targeted / reached, per channel and village, time to 50/90/100 %
* ``subscriptions`` residents' SMS subscriptions
* ``messages``      a warning as AlertData (CAP 1.2 and national XML), public listings
* ``from_alarms``   a draft in public wording from monitoring alarms (``draft_from_alarms``)
* ``audience``      publication to recipients another capability names (``publish_to_audience``)
"""

# What other capabilities may call (the submodules stay private to warnings).
from yingji.warnings.service.alarm_drafts import open_draft_from_alarm
from yingji.warnings.service.audience import AudienceMember, publish_to_audience
from yingji.warnings.service.authoring import (
    approve,
    create_drill_warning,
    get_warning,
    list_warnings,
    submit,
)
from yingji.warnings.service.coverage import for_warning as warning_coverage
from yingji.warnings.service.from_alarms import compose_from_alarms, draft_from_alarms

__all__ = [
    "AudienceMember",
    "approve",
    "create_drill_warning",
    "submit",
    "compose_from_alarms",
    "draft_from_alarms",
    "get_warning",
    "list_warnings",
    "open_draft_from_alarm",
    "publish_to_audience",
    "warning_coverage",
]
