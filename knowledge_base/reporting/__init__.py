"""Statistics for staff and the public (aggregates only)."""
