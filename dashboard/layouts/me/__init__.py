"""The agent's own page `/me`: the frame (no data) and the sections filled by its callbacks."""
