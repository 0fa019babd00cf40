"""Schemathesis run of the whole JSON API, signed in, with bounded examples: no answer may be a 5xx.

Fault 4 of issue 14: a huge integer in an id or in birth_year gave a 500 (OverflowError), and a
schemathesis run found one 500 in 475 cases. Each operation gets ``EXAMPLES`` generated cases
(valid and invalid ones), on SQLite and on PostgreSQL; the run stays well under a minute.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402

from kinechain.web.app import create_app  # noqa: E402

from .conftest import add_assessment, add_athlete, make_settings, sign_up  # noqa: E402

#: Generated cases per operation and generation mode (valid, invalid).
EXAMPLES = 12


def _signed_in_app(tmp_path: Path, db_url: str) -> tuple[object, dict[str, str], dict[str, str]]:
    """A fresh app with a clinic, an athlete and an assessment; return (app, cookies, headers)."""
    app = create_app(make_settings(tmp_path, db_url, cookie_secure=False))
    c = TestClient(app, base_url="http://testserver")
    clinic = sign_up(c)
    add_assessment(clinic, add_athlete(clinic))
    cookies = {"kc_session": c.cookies["kc_session"], "kc_csrf": c.cookies["kc_csrf"]}
    return app, cookies, {"X-CSRF-Token": clinic.csrf}


def _run(operation: object, mode: GenerationMode, call: object) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))  # type: ignore[attr-defined]
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: object) -> None:
        call(case)  # type: ignore[operator]

    run()


def test_no_operation_answers_a_server_error(tmp_path: Path, db_url: str) -> None:
    app, cookies, headers = _signed_in_app(tmp_path, db_url)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    calls: list[tuple[str, int]] = []
    errors: list[str] = []

    def call(case: object) -> None:
        r = case.call(headers=headers, cookies=cookies)  # type: ignore[attr-defined]
        calls.append((case.operation.label, r.status_code))  # type: ignore[attr-defined]
        if r.status_code >= 500:
            errors.append(f"{case.operation.label} {case.path_parameters} {r.status_code}: {r.text[:200]}")  # type: ignore[attr-defined]

    operations = [op.ok() for op in schema.get_all_operations()]
    for op in operations:
        _run(op, GenerationMode.POSITIVE, call)
        with contextlib.suppress(Unsatisfiable):  # an operation without parameters has no invalid input
            _run(op, GenerationMode.NEGATIVE, call)
    print(f"schemathesis: {len(calls)} cases over {len(operations)} operations, {len(errors)} with 5xx")
    assert len(operations) >= 15 and len(calls) >= 10 * len(operations)
    assert not errors, "\n".join(errors[:10])
    assert any(code < 300 for _, code in calls)  # some cases were valid and signed in
