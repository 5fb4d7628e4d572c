"""The YAML configuration: one section per module, validated before anything starts.

`root.py` is the whole file (it imports the sections); each section (`screens.py`, `goals.py`, …) imports
only `base.py` and the model, never the root.
"""

from kpi.config.root import ApiLimits, Config, ConfigError, OfficeHours, in_force, load_config, parse_config

__all__ = ["ApiLimits", "Config", "ConfigError", "OfficeHours", "in_force", "load_config", "parse_config"]
