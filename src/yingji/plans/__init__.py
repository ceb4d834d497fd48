"""Emergency plans, filing, revision, drills and training."""
