"""Real 404s and 405s where Dash's catch-all route would answer 200 with the app's page.

Dash serves its index for every GET path it has no route for, so a mistyped page, an unknown
``/api/v1/...`` path or a GET on a POST-only endpoint all looked like a working page. Here a path
under ``/api/`` gets a JSON error (405 with ``Allow`` when another method exists), OPTIONS there lists
the API's methods only, and any other path that is not a registered page gets a 404 page. Browsers'
own ``/favicon.ico`` (asked for by the plain sign-in pages too) is sent to Dash's favicon.
"""

from __future__ import annotations

import re

import dash
from flask import Flask, Response, jsonify, redirect, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

API_PREFIX = "/api/"
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found · Wallboard</title>'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    '<link rel="stylesheet" href="/assets/manage.css"></head><body class="mg-login-body">'
    '<main class="mg-login"><h1>Wallboard</h1><p class="mg-login-lead">There is no such page.</p>'
    '<p><a href="/">Go to the start page</a></p></main></body></html>'
)


def install(app: dash.Dash) -> None:
    """Answer unknown paths of `app` with real 404s (API: JSON, pages: HTML) and API 405s with ``Allow``."""
    catch_all = app.config.routes_pathname_prefix + "<path:path>"
    server = app.server

    def refuse_unknown_paths() -> Response | tuple[Response, int] | None:
        if request.method == "OPTIONS" and request.path.startswith(API_PREFIX):
            return api_options(server, request.path)
        rule = request.url_rule
        if rule is None or rule.rule != catch_all:
            return None
        if request.path.startswith(API_PREFIX):
            return api_refusal(server, request.path)
        if not is_page(request.path):
            return Response(_PAGE, status=404, mimetype="text/html")
        return None

    def routing_error(exc: HTTPException) -> Response | tuple[Response, int] | HTTPException:
        if request.path.startswith(API_PREFIX):
            return api_refusal(server, request.path)
        return exc

    favicon = app.get_relative_path("/_favicon.ico")
    server.add_url_rule("/favicon.ico", "favicon", lambda: redirect(favicon, code=301))
    server.before_request(refuse_unknown_paths)
    server.register_error_handler(NotFound, routing_error)
    server.register_error_handler(MethodNotAllowed, routing_error)


def api_refusal(server: Flask, path: str) -> tuple[Response, int]:
    """405 with the methods an API endpoint at `path` takes, or 404 when there is no such endpoint."""
    allowed = api_methods(server, path)
    if not allowed:
        return jsonify(error=f"no API endpoint at {path[:200]}; see /api/v1/openapi.json"), 404
    response = jsonify(error=f"{request.method} is not allowed here; use {', '.join(allowed)}")
    response.headers["Allow"] = ", ".join(allowed)
    return response, 405


def api_options(server: Flask, path: str) -> Response | tuple[Response, int]:
    """The answer to OPTIONS: the API's own methods only (not the GET of Dash's catch-all route)."""
    allowed = api_methods(server, path)
    if not allowed:
        return api_refusal(server, path)
    response = Response(status=200)
    response.headers["Allow"] = ", ".join([*allowed, *(["HEAD"] if "GET" in allowed else []), "OPTIONS"])
    return response


def api_methods(server: Flask, path: str) -> list[str]:
    """The methods (of GET, POST, PUT, PATCH, DELETE) that an API route at `path` answers."""
    adapter = server.url_map.bind("localhost")
    allowed = []
    for method in _METHODS:
        try:
            rule, _ = adapter.match(path, method=method, return_rule=True)
        except HTTPException:
            continue
        if rule.rule.startswith(API_PREFIX):
            allowed.append(method)
    return allowed


def is_page(path: str) -> bool:
    """Whether `path` is one of the registered Dash pages (a ``<variable>`` matches one path segment)."""
    wanted = path.strip("/")
    for page in dash.page_registry.values():
        template = (page.get("path_template") or page["path"]).strip("/")
        pattern = "[^/]+".join(re.escape(part) for part in re.split(r"<[^>]*>", template))
        if re.fullmatch(pattern, wanted):
            return True
    return False
