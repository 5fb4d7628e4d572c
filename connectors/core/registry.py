"""Finding connector classes by type name through the ``wallboard.connectors`` entry-point group.

A third party ships a connector by declaring, in its own package::

    [project.entry-points."wallboard.connectors"]
    myvendor = "my_package.myvendor:MyVendorConnector"
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import entry_points

from connectors.core.base import Connector

GROUP = "wallboard.connectors"


class UnknownConnectorType(LookupError):
    """No installed connector has the requested type name."""


class Registry:
    """Connector classes by type name; built from the entry points unless given explicitly."""

    def __init__(self, classes: Mapping[str, type[Connector]] | None = None) -> None:
        self._classes = dict(classes) if classes is not None else None

    def names(self) -> list[str]:
        """Every available type name."""
        if self._classes is not None:
            return sorted(self._classes)
        return sorted({ep.name for ep in entry_points(group=GROUP)})

    def get(self, type_name: str) -> type[Connector]:
        """The class registered as `type_name`; raise `UnknownConnectorType` listing the known ones."""
        if self._classes is not None:
            found = self._classes.get(type_name)
        else:
            matches = [ep for ep in entry_points(group=GROUP) if ep.name == type_name]
            found = matches[0].load() if matches else None
        if found is None:
            raise UnknownConnectorType(
                f"unknown connector type {type_name!r}; installed: {', '.join(self.names()) or '(none)'}"
            )
        if not (isinstance(found, type) and issubclass(found, Connector)):
            raise UnknownConnectorType(f"entry point {type_name!r} of {GROUP} is not a Connector subclass")
        return found
