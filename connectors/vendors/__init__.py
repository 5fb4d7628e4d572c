"""The built-in connectors, one module per vendor."""
