"""Routes for discussions and pull requests, and the dataset leaderboard."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from ffasr_eval.hub import _discussions, _evals
from ffasr_eval.hub._errors import bad_request
from ffasr_eval.hub._http import (
    JsonBody,
    OptionalJsonBody,
    api_repo,
    caller_of,
    endpoint_of,
    service_of,
    verifier_of,
)

router = APIRouter()
_BASE = "/api/{plural}/{namespace}/{name}/discussions"
_PAGE = 50


def _text(body: dict[str, Any] | None, key: str, required: bool = True) -> str | None:
    value = (body or {}).get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise bad_request(f"The request body needs {key!r} (a string).")
    return value


@router.get(_BASE)
def list_discussions(request: Request, plural: str, namespace: str, name: str, p: int = 0,
                     type: str | None = None, status: str | None = None,
                     author: str | None = None) -> dict[str, Any]:
    _, repo = api_repo(request, plural, namespace, name)
    rows = [d for d in service_of(request).db.list_discussions(repo.type, repo.id)
            if _discussions.visible_for_list(d, type, status, author)]
    page = rows[p * _PAGE:(p + 1) * _PAGE]
    return {"discussions": [_discussions.summary(repo, d) for d in page], "count": len(rows), "start": p * _PAGE}


@router.post(_BASE)
def create_discussion(request: Request, plural: str, namespace: str, name: str,
                      body: JsonBody) -> dict[str, Any]:
    caller, repo = api_repo(request, plural, namespace, name)
    num = _discussions.create(service_of(request), caller, repo, _text(body, "title") or "",
                              _text(body, "description", required=False) or "", bool(body.get("pullRequest")))
    return {"num": num, "url": f"{endpoint_of(request)}/{repo.id}/discussions/{num}"}


@router.get(_BASE + "/{num}")
def discussion_details(request: Request, plural: str, namespace: str, name: str, num: int,
                       diff: str | None = None) -> dict[str, Any]:
    _, repo = api_repo(request, plural, namespace, name)
    service = service_of(request)
    return _discussions.details(service, repo, _discussions.get(service, repo, num), diff in ("1", "true"))


@router.post(_BASE + "/{num}/comment")
def comment(request: Request, plural: str, namespace: str, name: str, num: int,
            body: JsonBody) -> dict[str, Any]:
    caller, repo = api_repo(request, plural, namespace, name)
    event = _discussions.comment(service_of(request), caller, repo, num, _text(body, "comment") or "")
    return {"newMessage": _discussions.event_json(event)}


@router.post(_BASE + "/{num}/title")
def rename(request: Request, plural: str, namespace: str, name: str, num: int,
           body: JsonBody) -> dict[str, Any]:
    caller, repo = api_repo(request, plural, namespace, name)
    event = _discussions.rename(service_of(request), caller, repo, num, _text(body, "title") or "")
    return {"newTitle": _discussions.event_json(event)}


@router.post(_BASE + "/{num}/status")
def change_status(request: Request, plural: str, namespace: str, name: str, num: int,
                  body: JsonBody) -> dict[str, Any]:
    caller, repo = api_repo(request, plural, namespace, name)
    event = _discussions.change_status(service_of(request), caller, repo, num, _text(body, "status") or "",
                                       _text(body, "comment", required=False))
    return {"newStatus": _discussions.event_json(event)}


@router.post(_BASE + "/{num}/merge")
def merge(request: Request, plural: str, namespace: str, name: str, num: int,
          body: OptionalJsonBody = None) -> dict[str, Any]:
    caller, repo = api_repo(request, plural, namespace, name)
    oid = _discussions.merge(service_of(request), caller, repo, num, _text(body, "comment", required=False))
    return {"mergeCommitId": oid}


@router.get("/api/datasets/{namespace}/{name}/leaderboard")
def leaderboard(request: Request, namespace: str, name: str, base_model: str | None = None) -> list[dict[str, Any]]:
    return _evals.leaderboard(service_of(request), caller_of(request), f"{namespace}/{name}",
                              base_model != "false", verifier_of(request), endpoint_of(request))
