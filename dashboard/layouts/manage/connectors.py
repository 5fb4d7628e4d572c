"""The connector health table of ``/manage`` (admins only)."""

from __future__ import annotations

from typing import Any

from dash import html


def admins_only() -> html.P:
    """What a lead sees in place of the table."""
    return html.P("Connector health is shown to admins.", className="mg-empty")


def health_table(rows: list[dict[str, Any]]) -> html.Component:
    """One row per connector: status, last success and error, lag and counts; a note when there are none."""
    if not rows:
        return html.P("No connectors configured.", className="mg-empty")
    head = ["Connector", "Status", "Last success", "Last error", "Error", "Lag", "Records", "Events"]
    body = [
        html.Tr(
            [
                html.Td(r["connector"]),
                html.Td(r["status"] or "never run", className=f"mg-status-{r['status']}"),
                html.Td(r["last_success_at"][:19].replace("T", " ") or "–"),
                html.Td(r["last_error_at"][:19].replace("T", " ") or "–"),
                html.Td(r["last_error"] or "–", className="mg-error-text"),
                html.Td(f"{r['lag_seconds']} s" if r["lag_seconds"] else "–"),
                html.Td(r["records"] or "–"),
                html.Td(r["events"] or "–"),
            ]
        )
        for r in rows
    ]
    return html.Table(
        className="mg-table", children=[html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(body)]
    )


def consent_note(hidden: int) -> html.P:
    """How many agents chose on `/me` not to appear on TVs: a count, never names."""
    agents = "agent has" if hidden == 1 else "agents have"
    return html.P(f"{hidden} {agents} chosen not to appear on TVs.", className="mg-hint mg-consent-count")
