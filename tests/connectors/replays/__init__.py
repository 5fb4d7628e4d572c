"""Each vendor's documented API answers, replayed on pytest-httpserver, and its contract scenario."""
