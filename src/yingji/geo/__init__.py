"""Geography: districts → townships → villages → grid cells, boundaries and spatial queries."""
