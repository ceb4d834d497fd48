"""Incidents: reports, grading, response, command and dispatch."""
