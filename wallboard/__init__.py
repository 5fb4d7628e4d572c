"""The `wallboard` command line: the composition root that ties connectors, kpi and dashboard together."""
