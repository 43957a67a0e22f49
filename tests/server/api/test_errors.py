"""Clearance's errors answer with the HTTP status their class carries, never a 500 for a
user's mistake; the CLI's exit codes stay as they were."""

from __future__ import annotations

import json

import pytest

from clearance.errors import (
    ClearanceError,
    InputError,
    LimitError,
    NotFound,
    PermissionDenied,
    ScopeError,
    StoreError,
    UsageError,
)
from clearance.server.errors import answer


@pytest.mark.parametrize(
    ("error", "status", "exit_code"),
    [
        (InputError("bad cell", path="a.csv", line=3, field="mac"), 422, 2),
        (LimitError("too big", field="file"), 413, 2),
        (UsageError("finding 3 is removed; it can move to: open"), 422, 2),
        (ScopeError("outside the scope"), 422, 2),
        (NotFound("no finding 9"), 404, 2),
        (PermissionDenied("no", role="read", action="findings.write"), 403, 3),
        (StoreError("cannot write"), 503, 3),
        (ClearanceError("something else"), 500, 3),
    ],
)
def test_each_error_answers_with_its_status(
    error: ClearanceError, status: int, exit_code: int
) -> None:
    reply = answer(error)
    assert reply.status_code == status
    assert error.exit_code == exit_code
    body = json.loads(bytes(reply.body))
    assert body["detail"] == str(error)
    if isinstance(error, InputError) and error.path:
        assert (body["path"], body["line"], body["field"]) == ("a.csv", 3, "mac")
