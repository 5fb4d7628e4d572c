"""The manager pages in headless Chromium: sign in, filter, read the chart, drill down, and the URL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import dash
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from dashboard import ids
from tests.manage.conftest import PASSWORDS

pytestmark = pytest.mark.browser


def _query(dash_duo) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(dash_duo.driver.current_url).query).items()}


def _sign_in(dash_duo, username: str, path: str = "/manage") -> None:
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element("#login-username").send_keys(username)
    dash_duo.find_element("#login-password").send_keys(PASSWORDS[username])
    dash_duo.find_element("#login-submit").click()
    dash_duo.wait_for_element("#" + ids.MANAGE_USER_NAME, timeout=10)


def _wait_for_url(dash_duo, predicate, timeout: float = 10) -> None:
    from dash.testing.wait import until

    until(lambda: predicate(dash_duo.driver.current_url), timeout)


def test_mgb001_sign_in_filter_chart_drill_down_and_url(dash_duo, app: dash.Dash) -> None:
    dash_duo.start_server(app)
    _sign_in(dash_duo, "ada", "/manage?metric=calls_handled&period=month&date=2026-11-24")
    dash_duo.wait_for_text_to_equal(
        "#" + ids.MANAGE_TREND_TITLE,
        "Calls handled per team · daily, 1–24 Nov 2026 vs 1–24 Oct 2026 (dashed)",
        timeout=10,
    )
    assert _query(dash_duo) == {"metric": "calls_handled", "period": "month", "date": "2026-11-24"}

    dash_duo.find_element(f"#{ids.MANAGE_PERIOD} input[value='week']").click()
    _wait_for_url(dash_duo, lambda url: "period=week" in url)
    dash_duo.wait_for_contains_text("#" + ids.MANAGE_TREND_TITLE, "23–24 Nov 2026 vs", timeout=10)
    dash_duo.wait_for_element(f"#{ids.MANAGE_TREND} .scatterlayer .trace .point", timeout=10)

    point = dash_duo.driver.find_elements(By.CSS_SELECTOR, f"#{ids.MANAGE_TREND} .scatterlayer .point")[-1]
    ActionChains(dash_duo.driver).move_to_element(point).click().perform()
    _wait_for_url(dash_duo, lambda url: "team=Phones" in url)
    dash_duo.wait_for_contains_text("#" + ids.MANAGE_AGENTS_HINT, "Phones", timeout=10)
    assert _query(dash_duo)["period"] == "week"

    bar = dash_duo.wait_for_element(f"#{ids.MANAGE_AGENTS_CHART} .barlayer .point path", timeout=10)
    ActionChains(dash_duo.driver).move_to_element(bar).click().perform()
    _wait_for_url(dash_duo, lambda url: "/manage/agent/" in url)
    dash_duo.wait_for_contains_text("#" + ids.MANAGE_AGENT_TITLE, "Phones", timeout=10)
    assert _query(dash_duo)["team"] == "Phones"
    assert dash_duo.get_logs() == []


def test_mgb002_bookmarked_view_opens_with_its_filters(dash_duo, app: dash.Dash) -> None:
    dash_duo.start_server(app)
    _sign_in(dash_duo, "ada", "/manage?metric=nps&period=custom&from=2026-10-01&to=2026-11-24&view=ranking")
    dash_duo.wait_for_contains_text("#" + ids.MANAGE_RANKING_NOTE, "1 Oct – 24 Nov 2026", timeout=10)
    dash_duo.wait_for_element(f"#{ids.MANAGE_GRID} .ag-row", timeout=10)
    cells = dash_duo.driver.find_elements(By.CSS_SELECTOR, f"#{ids.MANAGE_GRID} .ag-cell[col-id='name']")
    names = [cell.text for cell in cells]
    assert len(names) == 7
    dash_duo.find_element("#" + ids.MANAGE_SEARCH).send_keys("xena")
    dash_duo.wait_for_text_to_equal(
        f"#{ids.MANAGE_GRID} .ag-center-cols-container .ag-cell[col-id='name']", "Xena Sales", timeout=10
    )
    assert _query(dash_duo)["view"] == "ranking" and _query(dash_duo)["from"] == "2026-10-01"

    dash_duo.find_element(f"#{ids.MANAGE_GRID} .ag-center-cols-container .ag-cell[col-id='name']").click()
    _wait_for_url(dash_duo, lambda url: "/manage/agent/x1?" in url)
    dash_duo.wait_for_text_to_equal("#" + ids.MANAGE_AGENT_TITLE, "Xena Sales", timeout=10)
    dash_duo.find_element(f"#{ids.MANAGE_AGENT_PERIOD} input[value='month']").click()
    _wait_for_url(dash_duo, lambda url: "period=month" in url)
    assert _query(dash_duo)["metric"] == "nps"
    back = dash_duo.find_element("#" + ids.MANAGE_AGENT_BACK).get_attribute("href")
    assert "/manage?metric=nps&period=month" in back


def test_mgb003_lead_sees_only_their_team_and_signs_out(dash_duo, app: dash.Dash) -> None:
    dash_duo.start_server(app)
    _sign_in(dash_duo, "leo", "/manage?metric=nps&period=month&date=2026-11-24&view=ranking")
    dash_duo.wait_for_element(f"#{ids.MANAGE_GRID} .ag-row", timeout=10)
    cells = dash_duo.driver.find_elements(By.CSS_SELECTOR, f"#{ids.MANAGE_GRID} .ag-cell[col-id='team']")
    teams = {cell.text for cell in cells}
    assert teams == {"Support"}
    dash_duo.find_element("#" + ids.MANAGE_LOGOUT).click()
    dash_duo.wait_for_element("#login-username", timeout=10)
    dash_duo.driver.get(dash_duo.server_url + "/manage")
    dash_duo.wait_for_element("#login-username", timeout=10)
