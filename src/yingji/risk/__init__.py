"""Dual prevention: risk points, major hazard sources, hidden hazards."""
