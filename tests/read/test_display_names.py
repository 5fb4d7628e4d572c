"""How names, places and avatars read on a TV (issue #11): First L. by default, ties as ties, team colours."""

from __future__ import annotations

import pytest

from kpi.config.agents import AgentDisplay, TeamDisplay
from kpi.read.avatars import PALETTE, avatar, letters_of, team_colour
from kpi.read.display_names import screen_name, screen_names, styled
from kpi.read.formatting import place_text

LONG = "Maximiliane Alexandra Hohenberg-Schönfeld"


@pytest.mark.parametrize(
    "style, shown",
    [("first_initial", "Maximiliane H."), ("full", LONG), ("initials", "M. A. H."), ("alias", "M. A. H.")],
)
def test_a_real_name_reads_in_the_screens_style(style: str, shown: str) -> None:
    assert styled(LONG, style) == shown


@pytest.mark.parametrize("name", ["李娜", "Madonna"])
def test_a_one_word_name_stays_whole_as_first_initial(name: str) -> None:
    assert styled(name, "first_initial") == name


def test_an_alias_is_shown_as_is_in_every_style() -> None:
    agents = {"a1": AgentDisplay(alias="Captain K")}
    assert {screen_name("a1", LONG, agents, style) for style in ("full", "first_initial", "alias")} == {
        "Captain K"
    }


def test_two_people_whose_short_names_collide_are_told_apart_by_their_last_names() -> None:
    people = [("a1", "Anna Kowalska"), ("a2", "Bo Li"), ("a3", "Anna Kaminski")]
    assert screen_names(people, {}, "first_initial") == ["Anna Ko.", "Bo L.", "Anna Ka."]


def test_last_names_that_differ_only_at_the_end_are_shown_whole() -> None:
    people = [("a1", "Anna Kowalska"), ("a2", "Anna Kowalski")]
    assert screen_names(people, {}, "first_initial") == ["Anna Kowalska", "Anna Kowalski"]


def test_names_that_collide_only_in_their_middle_names_are_shown_in_full() -> None:
    people = [("a1", "Anna Maria Kowalska"), ("a2", "Anna Kowalska")]
    assert screen_names(people, {}, "first_initial") == ["Anna Maria Kowalska", "Anna Kowalska"]


@pytest.mark.parametrize(
    "people",
    [
        [("a1", "Anna Kowalska"), ("a1", "Anna Kowalska")],  # one person twice (a badge wall)
        [("a1", "Anna Kowalska"), ("a2", "Anna Kowalska")],  # two people of one name
    ],
)
def test_the_same_name_twice_keeps_its_short_form(people: list[tuple[str, str]]) -> None:
    assert screen_names(people, {}, "first_initial") == ["Anna K.", "Anna K."]


def test_aliases_and_other_styles_are_not_lengthened() -> None:
    people = [("a1", "Anna Kowalska"), ("a2", "Anna Kaminski"), ("a3", "Anna Kern")]
    agents = {"a3": AgentDisplay(alias="Anna K.")}
    assert screen_names(people, agents, "first_initial") == ["Anna Ko.", "Anna Ka.", "Anna K."]
    assert screen_names(people[:2], {}, "initials") == ["A. K.", "A. K."]


@pytest.mark.parametrize(
    "rank, tied, ordinal, text",
    [(1, False, True, "1st"), (3, True, True, "=3rd"), (12, False, True, "12th"), (3, True, False, "=3")],
)
def test_a_shared_place_reads_as_a_tie(rank: int, tied: bool, ordinal: bool, text: str) -> None:
    assert place_text(rank, tied, ordinal=ordinal) == text


def test_a_configured_team_colour_wins_over_the_palette() -> None:
    assert team_colour("Sales", {"Sales": TeamDisplay(colour="#123456")}) == "#123456"


def test_an_unconfigured_team_gets_the_same_palette_colour_every_time() -> None:
    assert team_colour("Phones", {}) == team_colour("Phones", {}) and team_colour("Phones", {}) in PALETTE


def test_an_avatar_shows_the_configured_photo() -> None:
    agents = {"a1": AgentDisplay(photo_url="https://example.com/a1.jpg")}
    assert avatar("a1", "Ada L.", "Support", agents, {}).photo_url == "https://example.com/a1.jpg"


@pytest.mark.parametrize("name, letters", [("Ada Lovelace", "AL"), ("李娜", "李"), ("Ada L.", "AL")])
def test_avatar_letters_are_first_and_last_initials(name: str, letters: str) -> None:
    assert letters_of(name) == letters
