"""Testing tools for connectors: a scripted vendor replay and the contract suite every connector passes.

Needs the test extras (pytest, pytest-httpserver). A connector package runs the suite by subclassing
`ConnectorContract` with a ``scenario`` fixture; see docs/connectors.md.
"""

import pytest

pytest.register_assert_rewrite("connectors.testing.contract")

from connectors.testing.contract import ConnectorContract, Expected, ReplayScenario  # noqa: E402
from connectors.testing.replay import Answer, Replay, Seen  # noqa: E402

__all__ = ["Answer", "ConnectorContract", "Expected", "Replay", "ReplayScenario", "Seen"]
