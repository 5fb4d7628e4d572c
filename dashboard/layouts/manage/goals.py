"""The goals tab of ``/manage``: one bar per goal, with a mark where a steady pace would be by now."""

from __future__ import annotations

from dash import html

from dashboard.services.manage.goals import GoalWording


def goal_list(goals: list[GoalWording]) -> html.Component | list[html.Component]:
    """The goals in view, each already worded; a note when there are none."""
    if not goals:
        return html.P(
            "No goals for this metric, period and team (goals are set in the goals: section of the config).",
            className="mg-empty",
        )
    hint = html.P(
        "Running totals: the bar is the progress towards the target and the black mark is where a steady "
        "pace would be by now. Averages and NPS: the figure against the target.",
        className="mg-hint",
    )
    return [hint, *(_goal(goal) for goal in goals)]


def _goal(goal: GoalWording) -> html.Div:
    tone = "ok" if goal.good else "late"
    return html.Div(
        className="mg-goal",
        children=[
            html.Div([html.B(goal.team), goal.what], className="mg-goal-name"),
            html.Div(
                className="mg-goal-bar",
                children=[
                    html.Div(className=f"mg-goal-fill {tone}", style={"width": f"{goal.fill_percent:.1f}%"}),
                    html.Div(className="mg-goal-pace", style={"left": f"{goal.pace_percent:.1f}%"})
                    if goal.pace_percent is not None
                    else None,
                ],
            )
            if goal.fill_percent is not None
            else None,
            html.Div(goal.figures, className=f"mg-goal-figure {tone}"),
        ],
    )
