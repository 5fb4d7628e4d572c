"""The agent page ``/manage/agent/<agent_id>``: every metric against the team median, ranks, share of team."""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.auth import current_viewer
from dashboard.context import get_context
from dashboard.layouts.manage.common import header, panel, period_controls, signed_out
from dashboard.layouts.manage.overview import GRAPH_CONFIG
from dashboard.services.manage.agent import find_agent
from dashboard.services.manage.filters import parse_filters, to_query
from kpi.model.periods import local_day


def title(agent_id: str | None = None, **_: str) -> str:
    """The browser tab's title."""
    return f"Agent {agent_id} · Wallboard" if agent_id else "Agent · Wallboard"


def layout(agent_id: str | None = None, **query: str) -> html.Div:
    """The page of one agent; 'not found' alike for unknown agents and agents of other teams."""
    viewer = current_viewer()
    if viewer is None:
        return signed_out()
    context = get_context()
    found = find_agent(context.store, viewer, agent_id or "")
    filters = parse_filters(query, context.config, local_day(context.clock(), context.config.zone))
    back = "/manage" + to_query(filters)
    if found is None:
        return html.Div(
            className="mg-page",
            children=[
                header(viewer),
                html.Div(
                    className="mg-tab-body",
                    children=[
                        panel(
                            "Agent not found",
                            html.P("There is no agent with this id among the teams you can see."),
                            html.A("← Back to the overview", href=back, className="mg-back"),
                        )
                    ],
                ),
            ],
        )
    agent, team = found
    return html.Div(
        className="mg-page",
        children=[
            dcc.Location(id=ids.MANAGE_AGENT_URL, refresh=False),
            dcc.Store(
                id=ids.MANAGE_AGENT_ID, data={"id": agent.id, "metric": filters.metric, "team": filters.team}
            ),
            header(viewer, subtitle="Agent"),
            html.Div(
                className="mg-filters",
                children=[
                    html.Div(
                        className="mg-agent-head",
                        children=[
                            html.A("← Overview", href=back, id=ids.MANAGE_AGENT_BACK, className="mg-back"),
                            html.H1(agent.name, id=ids.MANAGE_AGENT_TITLE),
                            html.Span(
                                f"{agent.team or 'no team'} · {len(team)} "
                                f"agent{'s' if len(team) != 1 else ''} · id {agent.id}",
                                className="mg-hint",
                            ),
                        ],
                    ),
                    *period_controls(
                        ids.MANAGE_AGENT_PERIOD,
                        ids.MANAGE_AGENT_DATE,
                        ids.MANAGE_AGENT_RANGE,
                        filters.period,
                        filters.anchor,
                        filters.first,
                        filters.last,
                    ),
                ],
            ),
            html.Div(
                className="mg-tab-body",
                children=[
                    html.Div(id=ids.MANAGE_AGENT_CARDS, className="mg-cards mg-cards-agent"),
                    panel("Points, level and badges", html.Div(id=ids.MANAGE_AGENT_GAME)),
                    html.Div(
                        className="mg-grid-2",
                        children=[
                            panel(
                                "Every metric against the team median",
                                dcc.Loading(
                                    dcc.Graph(id=ids.MANAGE_AGENT_METRICS, config=GRAPH_CONFIG),
                                    type="dot",
                                    delay_show=300,
                                ),
                                class_name="mg-span-2",
                            ),
                            panel(
                                "Rank in the team on each day",
                                html.P(
                                    "Each point ranks that day (week, month) alone; a card ranks the whole "
                                    "period.",
                                    className="mg-hint",
                                ),
                                dcc.Graph(
                                    id=ids.MANAGE_AGENT_RANKS, config=GRAPH_CONFIG, style={"height": "360px"}
                                ),
                                title_id=ids.MANAGE_AGENT_RANKS_TITLE,
                            ),
                            panel(
                                "Share of the team's results",
                                html.P(
                                    "Of the team's total for counts and sums; of its volume (ratings, "
                                    "calls) for averages and scores.",
                                    className="mg-hint",
                                ),
                                dcc.Graph(
                                    id=ids.MANAGE_AGENT_SHARE, config=GRAPH_CONFIG, style={"height": "360px"}
                                ),
                            ),
                        ],
                    ),
                ],
            ),
        ],
    )
