"""Golden results: the headline figures of every built-in scenario against a stored reference."""
