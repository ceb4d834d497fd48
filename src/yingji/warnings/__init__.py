"""Warning publication: CAP 1.2 warnings, approval, targeting, delivery, coverage."""
