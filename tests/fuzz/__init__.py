"""Fuzzing suite: bad input never crashes, no work is unbounded, no output is half-written."""
