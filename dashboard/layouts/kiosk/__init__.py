"""The kiosk on the TV: the page frame, one component per view, the NPS chart and how numbers are written."""
