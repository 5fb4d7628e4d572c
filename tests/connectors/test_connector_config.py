"""Validation of the connectors section, secrets from env vars, discovery and agent identity."""

from __future__ import annotations

import pytest

from connectors.core.base import AgentMap, ConnectorOptions
from connectors.core.config import validate_connector
from connectors.core.registry import Registry
from connectors.vendors.hubspot import HubSpotDeals
from connectors.vendors.zendesk import ZendeskTickets
from kpi.config import ConfigError

ENV = {"ZENDESK_TOKEN": "zd-secret"}
ZENDESK = {
    "type": "zendesk",
    "interval_seconds": 120,
    "options": {"subdomain": "acme", "email": "bot@acme.test", "token_env": "ZENDESK_TOKEN"},
}


def test_valid_entry_gives_options_and_the_secret_from_the_environment():
    item = validate_connector("zendesk", ZENDESK, Registry(), ENV)
    assert (item.cls, item.settings.interval_seconds, item.secrets) == (
        ZendeskTickets,
        120,
        {"token": "zd-secret"},
    )


def test_registry_finds_the_built_in_connectors_through_entry_points():
    assert {"zendesk", "hubspot", "generic_json"} <= set(Registry().names())
    assert Registry().get("hubspot") is HubSpotDeals


def test_unknown_type_names_the_connector_and_the_installed_types():
    with pytest.raises(
        ConfigError, match=r"connectors\.crm\.type: unknown connector type 'salesforse'.*zendesk"
    ):
        validate_connector("crm", {"type": "salesforse"}, Registry(), ENV)


def test_missing_environment_variable_is_named():
    with pytest.raises(
        ConfigError,
        match=r"connectors\.zendesk\.options\.token_env: environment variable "
        r"ZENDESK_TOKEN is not set",
    ):
        validate_connector("zendesk", ZENDESK, Registry(), {})


def test_secret_written_in_the_config_is_refused():
    raw = {"type": "zendesk", "options": {"subdomain": "acme", "token": "zd-secret"}}
    with pytest.raises(ConfigError, match="secrets do not belong in the config file") as caught:
        validate_connector("zendesk", raw, Registry(), ENV)
    assert "zd-secret" not in str(caught.value)


def test_bad_option_names_the_connector_and_the_key():
    raw = {**ZENDESK, "options": {**ZENDESK["options"], "per_page": 5000}}
    with pytest.raises(
        ConfigError, match=r"connectors\.zendesk\.options\.per_page: Input should be less than"
    ):
        validate_connector("zendesk", raw, Registry(), ENV)


def test_bad_interval_names_the_connector_and_the_key():
    with pytest.raises(ConfigError, match=r"connectors\.zendesk\.interval_seconds"):
        validate_connector("zendesk", {**ZENDESK, "interval_seconds": 0}, Registry(), ENV)


def test_connector_name_must_be_a_valid_source():
    with pytest.raises(ConfigError, match=r"connectors\.Zen Desk: a connector name must match"):
        validate_connector("Zen Desk", ZENDESK, Registry(), ENV)


def test_env_var_name_must_look_like_one():
    raw = {**ZENDESK, "options": {**ZENDESK["options"], "token_env": "not a name"}}
    with pytest.raises(ConfigError, match=r"options\.token_env"):
        validate_connector("zendesk", raw, Registry(), ENV)


def test_agent_ids_are_namespaced_by_source_by_default():
    assert AgentMap("zendesk", ConnectorOptions()).resolve("501", name="Ada") == ("zendesk:501", "Ada", None)


def test_email_identity_makes_one_agent_of_one_person_in_two_sources():
    options = ConnectorOptions(agent_identity="email")
    zendesk = AgentMap("zendesk", options).resolve("501", email="Ada@Acme.test")
    hubspot = AgentMap("hubspot", options).resolve("41629779", email="ada@acme.test")
    assert zendesk[0] == hubspot[0] == "ada@acme.test"


def test_agent_mapping_renames_names_and_sets_the_team():
    options = ConnectorOptions.model_validate(
        {"agents": {"501": {"id": "ada", "name": "Ada L.", "team": "Tier 1"}}}
    )
    assert AgentMap("zendesk", options).resolve("501", name="Ada Lovelace") == ("ada", "Ada L.", "Tier 1")


def test_agent_mapping_may_be_keyed_by_email():
    options = ConnectorOptions.model_validate({"agents": {"ada@acme.test": {"id": "ada"}}})
    assert AgentMap("hubspot", options).resolve("41629779", email="ADA@acme.test")[0] == "ada"
