"""HTTP errors in the shapes the Hub uses, so `huggingface_hub` raises its usual exceptions.

The client picks its exception class from the ``X-Error-Code`` header (``RepoNotFound``,
``RevisionNotFound``, ``EntryNotFound``) and builds the message from ``X-Error-Message`` and the
JSON body ``{"error": ...}``; a plain-http server must always send the code explicitly.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse


class HubHTTPError(Exception):
    """An error answered to the client with a status, an optional Hub error code and a message."""

    def __init__(self, status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None,
                 extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or {}
        self.extra = extra or {}


def repo_not_found(repo_id: str, repo_type: str) -> HubHTTPError:
    return HubHTTPError(404, f"Repository {repo_type}s/{repo_id} not found.", "RepoNotFound")


def revision_not_found(revision: str) -> HubHTTPError:
    return HubHTTPError(404, f"Invalid rev id: {revision}", "RevisionNotFound")


def entry_not_found(path: str, commit: str | None = None) -> HubHTTPError:
    headers = {"X-Repo-Commit": commit} if commit else None
    return HubHTTPError(404, f"Entry not found: {path}", "EntryNotFound", headers)


def bad_request(message: str) -> HubHTTPError:
    return HubHTTPError(400, message)


def forbidden(message: str) -> HubHTTPError:
    return HubHTTPError(403, message)


def unauthorized(message: str = "You must be authenticated (send a token) to do this.") -> HubHTTPError:
    return HubHTTPError(401, message)


def _header_safe(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1").replace("\n", " ")[:1000]


def error_response(error: HubHTTPError) -> JSONResponse:
    headers = {"X-Error-Message": _header_safe(error.message), **error.headers}
    if error.code:
        headers["X-Error-Code"] = error.code
    return JSONResponse({**error.extra, "error": error.message}, status_code=error.status, headers=headers)


async def handle_hub_error(request: Request, error: Exception) -> JSONResponse:
    """FastAPI exception handler for `HubHTTPError`."""
    assert isinstance(error, HubHTTPError)
    return error_response(error)
