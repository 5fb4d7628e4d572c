"""Every ``/manage`` tab and the agent page load without a console warning or error, for an admin and a lead.

`dash_duo.get_logs()` only carries SEVERE entries (dash.testing asks Chrome for no more), so the page's own
``console.warn`` / ``console.error`` calls (AG Grid's warnings, React's) are also recorded by a script that
runs before any page script.
"""

from __future__ import annotations

import dash
import pytest
from dash.testing.wait import until

from dashboard import ids
from tests.manage.test_browser import _sign_in

pytestmark = pytest.mark.browser

RECORD = """
window.__consoleProblems = [];
['warn', 'error'].forEach(function (level) {
  var original = console[level].bind(console);
  console[level] = function () {
    window.__consoleProblems.push(level + ': ' + Array.prototype.map.call(arguments, String).join(' '));
    return original.apply(null, arguments);
  };
});
window.addEventListener('error', function (e) { window.__consoleProblems.push('error: ' + e.message); });
"""
TABS = {
    "overview": f"#{ids.MANAGE_DISTRIBUTION} .main-svg",
    "ranking": f"#{ids.MANAGE_GRID} .ag-row",
    "satisfaction": f"#{ids.MANAGE_SAT_CARDS} .mg-card",
    "goals": f"#{ids.MANAGE_GOALS} > *",
    "rules": f"#{ids.MANAGE_RULES} > *",
    "challenges": f"#{ids.MANAGE_CHALLENGES} > *",
    "connectors": f"#{ids.MANAGE_CONNECTORS} > *",
}


def _settled(dash_duo) -> bool:  # noqa: ANN001
    return not dash_duo.driver.execute_script(
        "return document.querySelectorAll('[data-dash-is-loading=\"true\"]').length"
    )


def _problems(dash_duo, path: str, ready: str) -> list[str]:  # noqa: ANN001
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element(ready, timeout=15)
    until(lambda: _settled(dash_duo), 10)
    return [f"{path}: {p}" for p in dash_duo.driver.execute_script("return window.__consoleProblems || []")]


@pytest.mark.parametrize(("username", "agent"), [("ada", "x1"), ("leo", "s1")])
def test_no_console_warning_or_error_on_any_manage_tab(
    dash_duo, app: dash.Dash, free_port, username: str, agent: str
) -> None:  # noqa: ANN001
    dash_duo.start_server(app, port=free_port())
    dash_duo.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD})
    _sign_in(dash_duo, username, "/manage?metric=nps&period=month&date=2026-11-24")
    found: list[str] = []
    for view, ready in TABS.items():
        found += _problems(dash_duo, f"/manage?metric=nps&period=month&date=2026-11-24&view={view}", ready)
    found += _problems(
        dash_duo, f"/manage/agent/{agent}?period=month", f"#{ids.MANAGE_AGENT_RANKS} .main-svg"
    )
    found += [f"browser log: {entry['message']}" for entry in dash_duo.get_logs()]
    assert not found, "\n".join(found)
