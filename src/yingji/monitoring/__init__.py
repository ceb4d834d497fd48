"""Monitoring: stations, sensors, readings, rules and alarms."""
