"""What each role may do with the indicators and the plan's implementation. The figures are district-wide:
a township officer sees them (its own records are part of them) but edits nothing.

- stats.read: the indicators, the rates page, the plan's tasks and their progress, the evaluation reports
- stats.inputs: the yearly inputs the platform does not own (regional GDP, resident population, registered
  vehicles): page, API, Excel import
- stats.progress: report a task's progress with evidence (the departments' liaisons, the bureau)
- stats.tasks: load the plan's task list (a district's own TOML)
"""

GRANTS = {
    "duty_officer": {"stats.read", "stats.inputs", "stats.progress", "stats.tasks"},
    "leader": {"stats.read"},
    "liaison": {"stats.read", "stats.progress"},
    "township_officer": {"stats.read"},
}
