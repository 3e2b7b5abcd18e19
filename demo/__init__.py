"""Deterministic German demo data for development, demos and benchmarks."""
