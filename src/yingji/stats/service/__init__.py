"""Use cases of the statistics capability: the yearly inputs, the indicators of 专栏1 from the platform's
records, the plan's rates gathered from the capabilities, the plan's tasks and their progress, and the
evaluation reports. Nothing here is imported by another capability."""

from yingji.stats.service import evaluation, figures, inputs, rates, tasks

__all__ = ["evaluation", "figures", "inputs", "rates", "tasks"]
