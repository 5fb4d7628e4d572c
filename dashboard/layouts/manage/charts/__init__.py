"""Plotly figures of the manager pages, built from the services' DataFrames (no data access here)."""
