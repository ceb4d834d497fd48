"""What each role may do with incidents and the duty room. The where is checked in the service: a township
sees and acts on its own township's incidents, an information officer sees the incidents it reported, an
enterprise manager its enterprise's accidents; leaders and the duty room see all.

- incidents.read: list and open incidents (within scope)
- incidents.report: report an incident (接报 / 上报)
- incidents.manage: change counts, merge, fulfil reports owed, close; alarm proposals
- incidents.estimate: the impact estimate of an affected area (people, places, needs against stock)
- incidents.duty.read: the roster, who is on duty, handovers
- incidents.duty.manage: import the roster, hand over, open and close duty items
"""

GRANTS = {
    "duty_officer": {
        "incidents.read",
        "incidents.report",
        "incidents.manage",
        "incidents.estimate",
        "incidents.duty.read",
        "incidents.duty.manage",
    },
    "leader": {"incidents.read", "incidents.estimate", "incidents.duty.read"},
    "township_officer": {
        "incidents.read", "incidents.report", "incidents.manage", "incidents.estimate", "incidents.duty.read",
    },
    "info_officer": {"incidents.read", "incidents.report"},
    "enterprise_manager": {"incidents.read", "incidents.report"},
}
