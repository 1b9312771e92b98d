"""Request helpers shared by the routes: the caller, raw path segments, pagination links."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import Body, Query, Request, Response

from ffasr_eval.hub._db import RepoRow
from ffasr_eval.hub._errors import bad_request
from ffasr_eval.hub._evals import Verifier
from ffasr_eval.hub._ids import URL_PREFIX, repo_type_of
from ffasr_eval.hub._service import Caller, HubService

#: A JSON object request body.
JsonBody = Annotated[dict[str, Any], Body()]
#: An optional JSON object body (``merge`` may come without one).
OptionalJsonBody = Annotated[dict[str, Any] | None, Body()]
#: A repeated query parameter (``expand=a&expand=b``).
QueryList = Annotated[list[str] | None, Query()]


def service_of(request: Request) -> HubService:
    return request.app.state.service


def verifier_of(request: Request) -> Verifier | None:
    return request.app.state.verifier


def caller_of(request: Request) -> Caller:
    """The authenticated caller (``Authorization: Bearer <token>``), anonymous without a token."""
    header = request.headers.get("authorization")
    token = None
    if header:
        scheme, _, value = header.partition(" ")
        token = value.strip() if scheme.lower() == "bearer" and value.strip() else None
    return service_of(request).caller(token)


def endpoint_of(request: Request) -> str:
    """The server's own address as clients see it (no trailing slash)."""
    return str(request.base_url).rstrip("/")


def raw_segments(request: Request) -> list[str]:
    """The URL path split on '/' *before* percent-decoding (so ``refs%2Fpr%2F1`` stays one segment)."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    return [unquote(s) for s in raw.decode("latin-1").split("?")[0].split("/")[1:]]


def api_repo(request: Request, plural: str, namespace: str, name: str) -> tuple[Caller, RepoRow]:
    """Caller and visible repo of an ``/api/{plural}/{namespace}/{name}/...`` route."""
    caller = caller_of(request)
    return caller, service_of(request).visible_repo(caller, repo_type_of(plural), f"{namespace}/{name}")


def tail_after(request: Request, marker: str, skip: int) -> list[str]:
    """Raw path segments after the ``marker`` segment found at or after index ``skip``."""
    segments = raw_segments(request)
    for index in range(skip, len(segments)):
        if segments[index] == marker:
            return segments[index + 1:]
    raise bad_request(f"Malformed URL: no {marker!r} segment.")


def repo_url(endpoint: str, repo: RepoRow) -> str:
    return f"{endpoint}/{URL_PREFIX[repo.type]}{repo.id}"


def paginate(request: Request, response: Response, items: list[Any], page_size: int) -> list[Any]:
    """Slice ``items`` at ``?cursor=N`` and add a ``Link: <...>; rel="next"`` header when more remain."""
    cursor = request.query_params.get("cursor", "0")
    start = int(cursor) if cursor.isdigit() else 0
    page = items[start:start + page_size]
    if start + page_size < len(items):
        url = request.url.include_query_params(cursor=str(start + page_size))
        response.headers["Link"] = f'<{url}>; rel="next"'
    return page

