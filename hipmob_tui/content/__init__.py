"""Exercises and routines: YAML read into checked models, loaded, cached and filtered."""
