"""Plans use cases, split by sub-domain. Other capabilities use these functions, never the tables:

- ``record_incident_drill(db=, actor=, plan_id=, held_on=, scenario=)`` — a drill run in the incidents
  capability's drill mode counts towards the plan's drill frequency; ``get_drill`` and
  ``record_drill_run`` read a 演练 record and mark it held by a scenario run, with its step times;
- ``list_plans(db=, actor=, page=, incident_kind=, area_code=)`` — the plans that apply to an incident's
  kind and place (their ``response_levels`` carry each level's trigger and tasks as data).
"""

from yingji.plans.service.drills import get_drill, record_drill_run, record_incident_drill
from yingji.plans.service.registry import list_plans

__all__ = ["get_drill", "list_plans", "record_drill_run", "record_incident_drill"]
