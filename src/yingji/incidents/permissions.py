"""What each role may do with incidents and the duty room. The where is checked in the service: a township
sees and acts on its own township's incidents, an information officer sees the incidents it reported, an
enterprise manager its enterprise's accidents; leaders and the duty room see all.

- incidents.read: list and open incidents (within scope)
- incidents.report: report an incident (接报 / 上报)
- incidents.manage: change counts, merge, fulfil reports owed, close; alarm proposals
- incidents.estimate: the impact estimate of an affected area (people, places, needs against stock)
- incidents.duty.read: the roster, who is on duty, handovers
- incidents.duty.manage: import the roster, hand over, open and close duty items
- incidents.command.read: the command workspace (response level, tasks, orders, sitreps); not the
  information officer's nor the enterprise manager's, who see their own reports only
- incidents.command: command and dispatch: response level, area, tasks, sitreps, orders, evacuees
- incidents.drill.read: drill runs (情景构建 / 桌面推演), their steps and evaluation; taking one's part in a
  run (a step still needs the right of the service it goes through: the leader signs the warning)
- incidents.drill: start a drill run and finish it
"""

GRANTS = {
    "duty_officer": {
        "incidents.read",
        "incidents.report",
        "incidents.manage",
        "incidents.estimate",
        "incidents.duty.read",
        "incidents.duty.manage",
        "incidents.command.read",
        "incidents.command",
        "incidents.drill.read",
        "incidents.drill",
    },
    "leader": {"incidents.read", "incidents.estimate", "incidents.duty.read", "incidents.command.read",
               "incidents.drill.read"},
    "township_officer": {
        "incidents.read",
        "incidents.report",
        "incidents.manage",
        "incidents.estimate",
        "incidents.duty.read",
        "incidents.command.read",
        "incidents.command",
    },
    "info_officer": {"incidents.read", "incidents.report"},
    "enterprise_manager": {"incidents.read", "incidents.report"},
}
