"""The read side: rankings, kiosk view data, goal progress, trends, date windows and freshness."""
