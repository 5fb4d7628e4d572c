"""A kiosk poll on the wire, without a server: the compact query and patches of view bodies (#13)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from dashboard.services.kiosk.seen import Seen
from dashboard.services.kiosk.stream import Tv
from dashboard.services.kiosk.wire import PATCH, BodyMemory, assignments, seen_of_query, seen_query, smallest
from kpi.store.celebration_feed import START

BODY = {
    "type": "Div",
    "namespace": "dash_html_components",
    "props": {
        "className": "wb-goals",
        "children": [
            {"type": "Div", "namespace": "dash_html_components", "props": {"children": "Support"}},
            {
                "type": "Div",
                "namespace": "dash_html_components",
                "props": {"style": {"width": "40.0%"}, "children": ["120", " / ", "300"]},
            },
        ],
    },
}


def apply(body: Any, patch: dict[str, Any]) -> Any:  # noqa: ANN401 - JSON
    """What the browser does with a patch of Assign operations (dash-renderer's parsePatchProps)."""
    result = copy.deepcopy(body)
    for op in patch["operations"]:
        assert op["operation"] == "Assign"
        *path, last = op["location"]
        target = result
        for key in path:
            target = target[key]
        target[last] = op["params"]["value"]
    return result


def test_kwire001_the_seen_state_travels_in_a_short_query() -> None:
    seen = Seen(7, "abc", "17-0", 1700000000.5, ("d1", "d2"))
    query = {"v": "7", "s": "abc", "c": "17-0", "t": "1700000000.5", "d": "d1.d2"}
    assert Seen.from_query(query) == seen


@pytest.mark.parametrize(
    "query", [{}, {"v": "x", "t": "soon"}, {"v": "1.5", "t": "inf"}, {"v": "nan", "d": ""}]
)
def test_kwire002_a_broken_query_counts_as_nothing_seen(query: dict[str, str]) -> None:
    assert Seen.from_query(query) == Seen(None, None, START, 0, ())


def test_kwire003_a_patch_assigns_only_the_leaves_that_changed() -> None:
    new = copy.deepcopy(BODY)
    new["props"]["children"][1]["props"]["style"]["width"] = "41.0%"
    new["props"]["children"][1]["props"]["children"][0] = "123"
    ops = assignments(BODY, new)
    assert [op["location"] for op in ops] == [
        ["props", "children", 1, "props", "style", "width"],
        ["props", "children", 1, "props", "children", 0],
    ]
    assert apply(BODY, {"operations": ops}) == new


def test_kwire004_a_changed_shape_is_assigned_whole() -> None:
    new = copy.deepcopy(BODY)
    new["props"]["children"].append({"type": "Div", "props": {"children": "Phones"}})
    patch = smallest(BODY, new)
    assert patch == new or apply(BODY, patch) == new


def test_kwire005_the_whole_body_goes_when_the_tv_has_an_unknown_one_or_a_patch_is_not_smaller() -> None:
    assert smallest(None, BODY) == BODY
    replaced = {"type": "Span", "props": {"children": "x"}}
    assert smallest(BODY, replaced) == replaced
    small_change = copy.deepcopy(BODY)
    small_change["props"]["className"] = "wb-goals goals-2"
    assert smallest(BODY, small_change)[PATCH] == PATCH


def test_kwire006_the_body_memory_forgets_the_least_recently_used() -> None:
    memory = BodyMemory(size=2, cold=0)
    memory.put("sig", 0, "a", 1)
    memory.put("sig", 1, "b", 2)
    assert memory.get("sig", 0, "a") == 1
    memory.put("sig", 2, "c", 3)
    assert memory.get("sig", 1, "b") is None and memory.get("sig", 0, "a") == 1
    assert memory.get("other", 0, "a") is None


def test_kwire007_a_body_pushed_out_of_the_memory_is_kept_compressed_for_a_while() -> None:
    memory = BodyMemory(size=1, cold=1)
    memory.put("sig", 0, "a", BODY)
    memory.put("sig", 0, "b", 2)
    assert memory.get("sig", 0, "a") == BODY
    memory.put("sig", 0, "c", 3)
    assert memory.get("sig", 0, "a") is None and memory.get("sig", 0, "b") == 2


@pytest.mark.parametrize(
    "query",
    [
        {"v": "12", "s": "ab3", "c": "1764000000.5", "t": "7", "d": "x1.y2..z3"},
        {"v": "3", "d": "only"},
        {},
    ],
)
def test_kwire008_a_poll_query_reads_back_as_the_seen_state_it_was_written_from(
    query: dict[str, str],
) -> None:
    assert seen_query(seen_of_query(query)) == query


def test_kwire009_a_stream_s_tv_keeps_its_other_parameters_and_takes_an_answer_s_changes() -> None:
    tv = Tv("floor", {"screen": "floor", "v": "3", "s": "old", "d": "a.b", "w": "1"}, 5.0)
    tv.saw({"v": 4, "d": {"1": "B", "2": "C"}})
    assert tv.args == {"screen": "floor", "w": "1", "v": "4", "s": "old", "d": "a.B.C"}
