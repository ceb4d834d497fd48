"""What each role may do in dual prevention. The where (region or enterprise) is checked in the service.

- risk.read: risk points, levels, major hazard sources, hazards, the map
- risk.write: record risk points and major hazard sources, import them
- risk.hazard.report: record a hidden hazard (self-check, inspection, information officer)
- risk.hazard.rectify: fill in the 五落实, start and finish rectification (the responsible unit)
- risk.hazard.manage: confirm or reject, verify, return, close (销号), reopen (the regulator)
- risk.supervise: put a major hazard under 挂牌督办
- risk.reports.manage: handle public reports (举报)
"""

GRANTS = {
    "duty_officer": {
        "risk.read",
        "risk.write",
        "risk.hazard.report",
        "risk.hazard.rectify",
        "risk.hazard.manage",
        "risk.supervise",
        "risk.reports.manage",
    },
    "leader": {"risk.read", "risk.supervise"},
    "liaison": {"risk.read"},
    "township_officer": {
        "risk.read",
        "risk.write",
        "risk.hazard.report",
        "risk.hazard.rectify",
        "risk.hazard.manage",
        "risk.reports.manage",
    },
    "info_officer": {"risk.read", "risk.hazard.report"},
    # An enforcement inspector's findings become hidden hazards (enforcement calls create_hazard).
    "inspector": {"risk.read", "risk.hazard.report"},
    "enterprise_manager": {"risk.read", "risk.write", "risk.hazard.report", "risk.hazard.rectify"},
}
