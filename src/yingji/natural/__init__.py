"""Natural-hazard risk: geological hazard points, flash-flood zones, waterlogging points, forest-fire areas,
community monitoring (群测群防), the risk census and risk zoning."""
