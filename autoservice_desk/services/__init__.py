"""Use cases and rules: plain Python, one unit of work per use case, results as frozen dataclasses."""
