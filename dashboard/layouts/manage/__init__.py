"""The manager pages: ``/manage`` (overview), ``/manage/agent/<id>``, their shared pieces and charts."""
