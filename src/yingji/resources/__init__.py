"""Emergency resources: rescue teams, experts, warehouses and materials, shelters."""
