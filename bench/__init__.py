"""Benchmarks and screenshot scripts (not shipped)."""
