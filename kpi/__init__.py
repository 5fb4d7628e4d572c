"""Wallboard's core: events, metrics, periods, the store and the rules. Knows nothing of Dash or vendors."""
