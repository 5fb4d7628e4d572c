"""The kiosk's server side: who may open a screen, its views' data, and what a poll sends back."""
