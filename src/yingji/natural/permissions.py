"""What each role may do with natural-hazard points. The where is checked in the service: a township
officer its township's points (and their monitors), an information officer its village's, the bureau all.

- natural.read: the registers, patrols, coverage figures, the map layer
- natural.write: register and change points, monitors, households; imports; evacuations
- natural.patrol: record a patrol of a point
- natural.warn: list the people a warning area threatens and send them the warning
"""

GRANTS = {
    "duty_officer": {"natural.read", "natural.write", "natural.patrol", "natural.warn"},
    "leader": {"natural.read", "natural.warn"},
    "liaison": {"natural.read"},
    "township_officer": {"natural.read", "natural.write", "natural.patrol"},
    "info_officer": {"natural.read", "natural.patrol"},
}
