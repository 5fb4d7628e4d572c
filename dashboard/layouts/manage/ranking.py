"""The full ranking's grid on ``/manage``: its options and its columns for a metric."""

from __future__ import annotations

from kpi.model.metrics import Metric

RANKING_GRID_OPTIONS = {
    "pagination": True,
    "paginationPageSize": 25,
    "paginationPageSizeSelector": [25, 50, 100],
    "animateRows": False,
    "suppressCellFocus": True,
    "enableCellTextSelection": True,
}


def ranking_columns(metric: Metric) -> list[dict[str, object]]:
    """The ranking grid's columns for `metric`: formatted in the browser, changes coloured by good or bad.

    A count's value is its volume, so the volume column is only shown for sums, means and NPS.
    """
    number = {"function": f"params.value == null ? '–' : d3.format(',.{metric.decimals}f')(params.value)"}
    signed = {"function": f"params.value == null ? '–' : d3.format('+,.{metric.decimals}f')(params.value)"}
    percent = {"function": "params.value == null ? '–' : d3.format('+.1f')(params.value) + '%'"}
    unit = f" ({metric.unit})" if metric.unit else ""
    better = {
        "mg-up": f"params.value {'<' if metric.lower_is_better else '>'} 0",
        "mg-down": f"params.value {'>' if metric.lower_is_better else '<'} 0",
    }
    columns: list[dict[str, object]] = [
        {"field": "rank", "headerName": "#", "maxWidth": 80},
        {"field": "name", "headerName": "Agent", "minWidth": 180, "cellClass": "mg-link"},
        {"field": "team", "headerName": "Team"},
        {
            "field": "value",
            "headerName": f"{metric.label or metric.name}{unit}",
            "valueFormatter": number,
            "type": "rightAligned",
        },
        {"field": "previous", "headerName": "Previous", "valueFormatter": number, "type": "rightAligned"},
        {
            "field": "change",
            "headerName": "Change",
            "valueFormatter": signed,
            "type": "rightAligned",
            "cellClassRules": better,
        },
        {
            "field": "change_pct",
            "headerName": "Change %",
            "type": "rightAligned",
            "valueFormatter": percent,
            "cellClassRules": better,
        },
    ]
    if metric.aggregation != "count":
        columns.append({"field": "count", "headerName": "Volume", "type": "rightAligned"})
    return columns
