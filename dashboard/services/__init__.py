"""Data shaping for the pages: plain Python and pandas over the store, no Dash, testable without a browser."""
