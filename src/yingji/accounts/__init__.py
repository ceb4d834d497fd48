"""Users, roles, area/enterprise scoping, sessions and API tokens."""
