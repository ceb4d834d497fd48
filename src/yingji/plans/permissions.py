"""What each role may do with plans, drills and training. The where is checked in the service: an
enterprise manager its enterprise's records, a township officer its township's and villages', the bureau
everything.

- plans.read: the registry, filings, drills, training and rates
- plans.write: register plans, upload versions, record triggers, evaluations and drills
- plans.filing.submit: submit a plan for filing
- plans.filing.check: the bureau's check (accept or return) of every filing
- plans.filing.check_village: a township's check of the village plans filed with it
- plans.training.write: trainees, courses, attendance, certificates
"""

GRANTS = {
    "duty_officer": {"plans.read", "plans.write", "plans.filing.submit", "plans.filing.check",
                     "plans.training.write"},
    "leader": {"plans.read"},
    "liaison": {"plans.read"},
    "township_officer": {"plans.read", "plans.write", "plans.filing.submit", "plans.filing.check_village",
                         "plans.training.write"},
    "enterprise_manager": {"plans.read", "plans.write", "plans.filing.submit", "plans.training.write"},
}
