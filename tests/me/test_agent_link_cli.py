"""`wallboard agent-link`: a link that signs in, and --revoke that ends it."""

from __future__ import annotations

import dash
import pytest
from flask.testing import FlaskClient

from kpi.store import RedisStore
from tests.me.conftest import SECRET
from wallboard.cli import main


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, me_store: RedisStore, redis_server) -> RedisStore:  # noqa: ANN001
    """The command sees the app's Redis and secret key."""
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    monkeypatch.setenv("WALLBOARD_SECRET_KEY", SECRET)
    return me_store


def _link(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["agent-link", "s1", *args]) == 0
    return capsys.readouterr().out.strip()


def test_agent_link_prints_a_url_on_the_base_url(
    cli_env: RedisStore, capsys: pytest.CaptureFixture[str]
) -> None:
    url = _link(capsys, "--base-url", "https://wall.example.com/")
    assert url.startswith("https://wall.example.com/me/link/")


def test_a_printed_link_signs_in_until_revoked(
    cli_env: RedisStore, me_app: dash.Dash, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _link(capsys, "--base-url", "")
    client: FlaskClient = me_app.server.test_client()
    assert client.get(path).status_code == 302
    assert main(["agent-link", "s1", "--revoke"]) == 0
    assert client.get(path).status_code == 403


def test_agent_link_needs_the_secret_key(
    cli_env: RedisStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("WALLBOARD_SECRET_KEY")
    assert main(["agent-link", "s1"]) == 2
    assert "WALLBOARD_SECRET_KEY" in capsys.readouterr().err
