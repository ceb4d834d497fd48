"""Natural-hazard use cases, split by subject. Other capabilities use these functions, never the tables:

- ``points_in_area(db=, actor=, geometry=)`` — the hazard points meeting an area, with their threatened
  households, monitors and responsible persons (a warning over the area can reach exactly those);
- ``evacuation_totals(db=, incident_id=)`` — the people moved (转移) from hazard points for an incident.
"""

from yingji.natural.service.area import points_in_area
from yingji.natural.service.evacuations import evacuation_totals

__all__ = ["evacuation_totals", "points_in_area"]
