"""The manager page ``/manage``: filters mirrored in the URL, trends, ranking, NPS, goals, health."""

from __future__ import annotations

import dash_ag_grid as dag
from dash import dcc, html

from dashboard import ids
from dashboard.auth import current_viewer
from dashboard.context import get_context
from dashboard.layouts.manage.common import field, header, panel, period_controls, signed_out
from dashboard.layouts.manage.ranking import RANKING_GRID_OPTIONS
from dashboard.services.manage.filters import parse_filters
from dashboard.services.manage.overview import view_scope
from kpi.model.periods import local_day


def layout(**query: str) -> html.Div:
    """The page for the filters in `query`; a sign-in link only, with no data, when nobody is signed in."""
    viewer = current_viewer()
    if viewer is None:
        return signed_out()
    context = get_context()
    config = context.config
    teams = view_scope(context.store, viewer).visible_teams
    filters = parse_filters(query, config, local_day(context.clock(), config.zone))
    team = filters.team if filters.team in teams else None
    metric_options = [{"label": m.label or m.name, "value": m.name} for m in config.metrics.values()]
    return html.Div(
        className="mg-page",
        children=[
            dcc.Location(id=ids.MANAGE_URL, refresh=False),
            dcc.Location(id=ids.MANAGE_NAV, refresh="callback-nav"),
            dcc.Download(id=ids.MANAGE_DOWNLOAD),
            header(viewer),
            html.Div(
                className="mg-filters",
                children=[
                    field(
                        "Metric",
                        dcc.Dropdown(
                            id=ids.MANAGE_METRIC,
                            options=metric_options,
                            value=filters.metric,
                            clearable=False,
                        ),
                        class_name="mg-field-wide",
                    ),
                    field(
                        "Team",
                        dcc.Dropdown(
                            id=ids.MANAGE_TEAM,
                            options=teams,
                            value=team,
                            placeholder="All teams" if viewer.sees_all else "All my teams",
                        ),
                        class_name="mg-field-wide",
                    ),
                    field(
                        "Agent",
                        dcc.Dropdown(
                            id=ids.MANAGE_AGENT, options=[], value=None, placeholder="Open an agent…"
                        ),
                        class_name="mg-field-wide",
                    ),
                    *period_controls(
                        ids.MANAGE_PERIOD,
                        ids.MANAGE_DATE,
                        ids.MANAGE_RANGE,
                        filters.period,
                        filters.anchor,
                        filters.first,
                        filters.last,
                    ),
                ],
            ),
            dcc.Tabs(
                id=ids.MANAGE_VIEW,
                value=filters.view,
                parent_className="mg-tabs",
                children=[
                    dcc.Tab(label="Overview", value="overview", children=_overview()),
                    dcc.Tab(label="Ranking", value="ranking", children=_ranking()),
                    dcc.Tab(label="NPS / CSAT", value="satisfaction", children=_satisfaction()),
                    dcc.Tab(label="Goals", value="goals", children=_section("Team goals", ids.MANAGE_GOALS)),
                    dcc.Tab(
                        label="Rules", value="rules", children=_section("The game's rules", ids.MANAGE_RULES)
                    ),
                    dcc.Tab(
                        label="Challenges",
                        value="challenges",
                        children=_section("Challenges", ids.MANAGE_CHALLENGES),
                    ),
                    dcc.Tab(
                        label="Connectors",
                        value="connectors",
                        children=_section("Connector health", ids.MANAGE_CONNECTORS),
                    ),
                ],
            ),
        ],
    )


GRAPH_CONFIG = {"displaylogo": False, "displayModeBar": False, "responsive": True}


def _graph(graph_id: str, height: str) -> dcc.Loading:
    return dcc.Loading(
        dcc.Graph(id=graph_id, config=GRAPH_CONFIG, style={"height": height}), type="dot", delay_show=300
    )


def _section(title: str, content_id: str) -> list[html.Div]:
    return [html.Div(className="mg-tab-body", children=[panel(title, html.Div(id=content_id))])]


def _overview() -> list[html.Div]:
    return [
        html.Div(
            className="mg-tab-body",
            children=[
                html.Div(id=ids.MANAGE_CARDS, className="mg-cards"),
                html.Div(
                    className="mg-grid-2",
                    children=[
                        panel(
                            "Trend",
                            html.P("Click a line to drill down to that team's agents.", className="mg-hint"),
                            _graph(ids.MANAGE_TREND, "380px"),
                            title_id=ids.MANAGE_TREND_TITLE,
                            class_name="mg-span-2",
                        ),
                        panel(
                            "Teams and agents",
                            html.Div(id=ids.MANAGE_AGENTS_HINT, className="mg-hint"),
                            html.Div(
                                dcc.Graph(id=ids.MANAGE_AGENTS_CHART, config=GRAPH_CONFIG),
                                className="mg-scroll",
                            ),
                        ),
                        panel("Distribution across agents", _graph(ids.MANAGE_DISTRIBUTION, "420px")),
                    ],
                ),
            ],
        )
    ]


def _ranking() -> list[html.Div]:
    return [
        html.Div(
            className="mg-tab-body",
            children=[
                panel(
                    "Full ranking",
                    html.Div(
                        className="mg-toolbar",
                        children=[
                            dcc.Input(
                                id=ids.MANAGE_SEARCH,
                                type="search",
                                placeholder="Search name, id or team…",
                                debounce=False,
                                className="mg-search",
                                style={"width": "360px"},
                            ),
                            html.Span(id=ids.MANAGE_RANKING_NOTE, className="mg-hint"),
                            html.Button("Export CSV", id=ids.MANAGE_EXPORT, className="mg-button"),
                        ],
                    ),
                    dag.AgGrid(
                        id=ids.MANAGE_GRID,
                        rowData=[],
                        columnDefs=[],
                        getRowId="params.data.id",
                        dashGridOptions=RANKING_GRID_OPTIONS,
                        columnSize="responsiveSizeToFit",
                        defaultColDef={"sortable": True, "resizable": True},
                        className="ag-theme-quartz mg-ranking",
                        style={"height": "640px"},
                    ),
                )
            ],
        )
    ]


def _satisfaction() -> list[html.Div]:
    return [
        html.Div(
            className="mg-tab-body",
            children=[
                html.Div(id=ids.MANAGE_SAT_CARDS, className="mg-cards"),
                panel(
                    "Satisfaction detail",
                    html.P(
                        "The score per point, then the responses it is computed from. Pick NPS or CSAT "
                        "with the metric filter.",
                        className="mg-hint",
                    ),
                    _graph(ids.MANAGE_SAT_CHART, "340px"),
                    _graph(ids.MANAGE_SAT_RESPONSES, "280px"),
                    title_id=ids.MANAGE_SAT_TITLE,
                ),
            ],
        )
    ]
