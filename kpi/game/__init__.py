"""The game: the rules that turn events into points (and, later, achievements and levels).

Modules here import only `kpi.model` and `kpi.game`; the configuration builds on them.
"""
