"""Callback wiring: each module has a `register(app)` that uses `app.callback`."""
