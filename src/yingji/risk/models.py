"""Tables of this capability (none yet)."""
