"""Natural-hazard use cases, split by subject. Other capabilities use these functions, never the tables:

- ``points_in_area(db=, actor=, geometry=)`` — the hazard points inside an area, with their threatened
  people and monitors (a warning over the area reaches exactly those);
- ``evacuation_totals(db=, incident_id=)`` — the people moved (转移) from hazard points for an incident.
"""
