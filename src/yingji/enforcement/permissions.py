"""What each role may do in enforcement. The where is checked in the service: an inspector the inspections
and cases assigned to it, a township officer its township's enterprises, an enterprise manager its own
cases and notices (and nothing of a draw before it is drawn), the bureau everything.

- enforcement.read: enforceable items, checklists, cases in scope
- enforcement.items.write: edit, import and publish the enforceable items and checklists
- enforcement.draws.read: the draws once drawn (their full record), the roster
- enforcement.draws.write: pools, roster, conflicts, caps; commit and perform draws, redraw with a reason
- enforcement.inspections.write: start inspections, answer checklists, record findings, issue documents
- enforcement.cases.write: file a case and take its steps (the assigned inspectors, the bureau)
- enforcement.credit.write: the untrustworthy list — notice, decision, credit repair (the bureau)
- enforcement.cases.approve: the head's approvals (extension to 90 days, legal review, collective discussion)
"""

GRANTS = {
    "duty_officer": {"enforcement.read", "enforcement.items.write", "enforcement.draws.read",
                     "enforcement.draws.write", "enforcement.cases.write", "enforcement.inspections.write",
                     "enforcement.credit.write"},
    "leader": {"enforcement.read", "enforcement.draws.read", "enforcement.cases.approve"},
    "township_officer": {"enforcement.read", "enforcement.draws.read"},
    "inspector": {"enforcement.read", "enforcement.draws.read", "enforcement.cases.write",
                  "enforcement.inspections.write"},
    "enterprise_manager": {"enforcement.read"},
}
