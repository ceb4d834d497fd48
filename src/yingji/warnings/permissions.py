"""Who may do what with warnings (the where is the actor's scope, checked in the service).

Drafting and signing are separate: the approver must hold ``warnings.approve`` and must not be the
author. Publishing needs ``warnings.publish`` and a signed warning."""

GRANTS = {
    "duty_officer": {
        "warnings.read",
        "warnings.write",
        "warnings.approve",
        "warnings.publish",
        "warnings.import",
        "warnings.points",
    },
    "leader": {"warnings.read", "warnings.approve", "warnings.publish"},
    "liaison": {"warnings.read", "warnings.write", "warnings.import"},
    "township_officer": {"warnings.read", "warnings.write"},
    "info_officer": {"warnings.read"},
}
