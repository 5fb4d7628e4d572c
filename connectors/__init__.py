"""Sources of events: one module per vendor, each turning its records into canonical events."""
