"""Sources of events: the framework (`core/`), the built-in vendors (`vendors/`) and the demo simulator."""
