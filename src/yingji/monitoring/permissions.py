"""Monitoring permissions per role (the where is checked against each user's scope in the service)."""

GRANTS = {
    "duty_officer": {
        "monitoring.read",
        "monitoring.write",
        "monitoring.ingest",
        "monitoring.rules.write",
        "monitoring.alarm.handle",
    },
    "leader": {"monitoring.read", "monitoring.alarm.handle"},
    # Department liaisons (气象, 水利, 自然资源 …) keep their sensors and feed readings.
    "liaison": {"monitoring.read", "monitoring.write", "monitoring.ingest"},
    "township_officer": {"monitoring.read", "monitoring.alarm.handle"},
    "info_officer": {"monitoring.read"},
    "enterprise_manager": {"monitoring.read"},
}
