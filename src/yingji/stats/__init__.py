"""Plan indicators and statistics."""
