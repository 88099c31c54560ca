"""Architecture checks: import boundaries, one capability catalogue, one coverage path."""
