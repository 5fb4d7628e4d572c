"""The OpenAPI document is exact: schemathesis, all checks, finds no request the two disagree on (issue #12).

Positive cases (valid by the document) must be accepted, negative ones refused, every response must
match its documented schema, status and content type. The app runs over a real Redis store.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.config import HealthCheck

from dashboard import create_app
from dashboard.api.openapi import BUCKET_PATTERN
from kpi.config import Config
from kpi.config.settings import Settings
from kpi.model.periods import BucketError, span_of
from kpi.store import RedisStore

TOKEN = "fuzz-secret"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
CASES_PER_OPERATION = 30


@pytest.fixture
def api_schema(redis_store: RedisStore, config: Config) -> schemathesis.BaseSchema:
    """The app's own document, loaded from the running app, with one token for pushing and reading."""
    settings = Settings(ingest_token=TOKEN, api_token=TOKEN)
    app = create_app(settings, config=config, store=redis_store, clock=lambda: NOW)
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app.server)
    loaded.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=CASES_PER_OPERATION,
        deterministic=True,
        database="none",
    )
    loaded.config.phases.coverage.enabled = False  # its boundary cases bypass the filters below
    loaded.config.checks.negative_data_rejection.expected_statuses.append("413")
    # `filter_case` drops the events operation's NDJSON and CSV bodies (two of its media types) by design
    loaded.config.update(suppress_health_check=[HealthCheck.filter_too_much])
    loaded.hook(filter_query)
    loaded.hook(filter_case)
    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")


def filter_query(ctx: schemathesis.HookContext, query: dict[str, object] | None) -> bool:
    """Leaderboard cases whose `bucket` has a bucket's form keep it a real bucket of `period`.

    OpenAPI cannot state a rule between two parameters (nor which days a month has), so the document
    says it in words and such cases are left out; buckets of no period's form stay in (to be refused),
    and tests/test_api.py covers a bucket of the wrong period.
    """
    if not query or ctx.operation.path != "/api/v1/leaderboard":
        return True
    bucket = query.get("bucket")
    if not isinstance(bucket, str) or not re.fullmatch(BUCKET_PATTERN, bucket):
        return True
    try:
        span_of(str(query.get("period", "day")), bucket)
    except (BucketError, ValueError):
        return False
    return True


def filter_case(ctx: schemathesis.HookContext, case: schemathesis.Case) -> bool:
    """JSON bodies only: NDJSON and CSV are documented as text, whose rows no JSON Schema can describe."""
    return case.media_type in (None, "application/json")


@schema.parametrize()
def test_oas001_the_api_does_exactly_what_its_document_says(case: schemathesis.Case) -> None:
    # The in-process WSGI client does not inflate compressed answers (compression is tested on its own).
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}", "Accept-Encoding": "identity"})
