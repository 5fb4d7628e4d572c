"""The leaf types every other part of kpi builds on: events, metrics, periods, contributions, agents.

Modules here import nothing from kpi outside `kpi.model`.
"""
