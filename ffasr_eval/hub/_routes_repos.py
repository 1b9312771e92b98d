"""Routes for accounts and repos: whoami, create/delete/settings, info, listings, refs, commits,
branches and tags."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response

from ffasr_eval.hub._db import iso
from ffasr_eval.hub._errors import bad_request, unauthorized
from ffasr_eval.hub._http import (
    JsonBody,
    OptionalJsonBody,
    QueryList,
    api_repo,
    caller_of,
    endpoint_of,
    paginate,
    repo_url,
    service_of,
    tail_after,
)
from ffasr_eval.hub._ids import URL_PREFIX, check_repo_id, repo_type_of
from ffasr_eval.hub._info import commit_date, repo_json
from ffasr_eval.hub._service import Caller

router = APIRouter()
_LIST_PAGE = 1000
_COMMITS_PAGE = 100
_REPO = "/api/{plural}/{namespace}/{name}"


@router.get("/api/whoami-v2")
def whoami(request: Request) -> dict[str, Any]:
    caller = caller_of(request)
    if caller.name is None:
        raise unauthorized("Invalid user token: send 'Authorization: Bearer <token>'.")
    return {
        "type": "user", "id": caller.name, "name": caller.name, "fullname": caller.name, "email": None,
        "emailVerified": False, "isPro": False, "canPay": False,
        "orgs": [{"type": "org", "name": o, "fullname": o, "roleInOrg": "admin"} for o in caller.orgs],
        "auth": {"type": "access_token", "accessToken": {"displayName": "ffasr-eval", "role": "write"}},
    }


@router.post("/api/validate-yaml")
def validate_yaml() -> dict[str, Any]:
    return {"warnings": []}


def _body_repo(request: Request, body: dict[str, Any]) -> tuple[Caller, str, str]:
    """Caller, repo type and ``namespace/name`` of a create/delete body (``name``, ``organization``, ``type``)."""
    caller = caller_of(request)
    name, organization = body.get("name"), body.get("organization")
    if not isinstance(name, str) or not (organization is None or isinstance(organization, str)):
        raise bad_request("The request body needs 'name' (the repo name without namespace) and maybe 'organization'.")
    repo_type = body.get("type") or "model"
    if repo_type not in URL_PREFIX:
        raise bad_request(f"Invalid repo type {repo_type!r}: expected model, dataset or space.")
    namespace = organization or caller.name
    if namespace is None:
        raise unauthorized("You must be authenticated to create or delete a repo.")
    repo_id = f"{namespace}/{name}"
    check_repo_id(repo_id)
    return caller, repo_type, repo_id


@router.post("/api/repos/create")
def create_repo(request: Request, body: JsonBody) -> dict[str, Any]:
    caller, repo_type, repo_id = _body_repo(request, body)
    private = body.get("visibility") == "private" or body.get("private") is True
    url = f"{endpoint_of(request)}/{URL_PREFIX[repo_type]}{repo_id}"
    repo = service_of(request).create_repo(caller, repo_type, repo_id, private, url)
    return {"url": repo_url(endpoint_of(request), repo), "name": repo.id, "id": repo.id}


@router.delete("/api/repos/delete")
def delete_repo(request: Request, body: JsonBody) -> dict[str, Any]:
    caller, repo_type, repo_id = _body_repo(request, body)
    service_of(request).delete_repo(caller, repo_type, repo_id)
    return {}


@router.put(_REPO + "/settings")
def update_settings(request: Request, plural: str, namespace: str, name: str,
                    body: JsonBody) -> dict[str, Any]:
    caller, repo = api_repo(request, plural, namespace, name)
    service = service_of(request)
    service.owned_repo(caller, repo.type, repo.id, "change the settings")
    if "visibility" in body or "private" in body:
        private = body.get("visibility") == "private" if "visibility" in body else bool(body["private"])
        service.db.set_private(repo.type, repo.id, private)
    return {}


@router.get("/api/{plural}")
def list_repos(request: Request, response: Response, plural: str, search: QueryList = None,
               author: str | None = None, sort: str | None = None,
               limit: int | None = None, full: bool = False, cardData: bool = False,
               expand: QueryList = None, filter: QueryList = None) -> list[dict]:
    service, caller = service_of(request), caller_of(request)
    repo_type = repo_type_of(plural)
    repos = [
        r for r in service.list_repos(caller, repo_type)
        if all(s.lower() in r.id.lower() for s in search or ())
        and (author is None or r.id.split("/")[0].lower() == author.lower())
    ]
    detailed = bool(expand or full or cardData or filter)
    items = []
    for repo in repos:
        head = service.store(repo).ref_target("refs/heads/main")
        if head is None:
            continue
        if detailed:
            item = repo_json(service, caller, repo, head, expand=expand or None)
            if not full and not expand:
                item.pop("siblings", None)
        else:
            item = {"_id": f"{repo.type}:{repo.id}", "id": repo.id, "author": repo.id.split("/")[0],
                    "sha": head, "private": repo.private, "createdAt": repo.created_at,
                    "lastModified": commit_date(service.store(repo), head), "downloads": 0, "likes": 0, "tags": []}
        if filter and not set(filter) <= set(item.get("tags") or []):
            continue
        items.append(item)
    if sort in ("createdAt", "lastModified", "id"):
        items.sort(key=lambda item: item.get(sort) or "", reverse=sort != "id")  # newest first
    if limit is not None:
        items = items[:max(limit, 0)]
    return paginate(request, response, items, _LIST_PAGE)


@router.get(_REPO)
def repo_info(request: Request, plural: str, namespace: str, name: str, blobs: bool = False,
              expand: QueryList = None) -> dict[str, Any]:
    return _info(request, plural, namespace, name, "main", blobs, expand)


@router.get(_REPO + "/revision/{rest:path}")
def repo_info_at(request: Request, plural: str, namespace: str, name: str, rest: str, blobs: bool = False,
                 expand: QueryList = None) -> dict[str, Any]:
    revision = "/".join(tail_after(request, "revision", 4))
    return _info(request, plural, namespace, name, revision, blobs, expand)


def _info(request: Request, plural: str, namespace: str, name: str, revision: str, blobs: bool,
          expand: list[str] | None) -> dict[str, Any]:
    caller, repo = api_repo(request, plural, namespace, name)
    service = service_of(request)
    return repo_json(service, caller, repo, service.resolve(repo, revision), blobs=blobs, expand=expand or None)


@router.get(_REPO + "/refs")
def list_refs(request: Request, plural: str, namespace: str, name: str, include_prs: bool = False) -> dict:
    _, repo = api_repo(request, plural, namespace, name)
    refs = service_of(request).store(repo).refs()
    result: dict[str, list[dict[str, str]]] = {"branches": [], "converts": [], "tags": []}
    if include_prs:
        result["pullRequests"] = []
    for ref, oid in sorted(refs.items()):
        for prefix, key in (("refs/heads/", "branches"), ("refs/tags/", "tags"), ("refs/pr/", "pullRequests")):
            if ref.startswith(prefix) and key in result:
                shown = ref if key == "pullRequests" else ref.removeprefix(prefix)
                result[key].append({"name": shown, "ref": ref, "targetCommit": oid})
    return result


@router.get(_REPO + "/commits/{rest:path}")
def list_commits(request: Request, response: Response, plural: str, namespace: str, name: str,
                 rest: str) -> list[dict[str, Any]]:
    _, repo = api_repo(request, plural, namespace, name)
    service = service_of(request)
    revision = "/".join(tail_after(request, "commits", 4))
    records = service.store(repo).history(service.resolve(repo, revision))
    items = [{"id": r.oid, "title": r.title, "message": r.message, "authors": [{"user": r.author}],
              "date": iso(datetime.fromtimestamp(r.timestamp, UTC)), "parents": list(r.parents)} for r in records]
    return paginate(request, response, items, _COMMITS_PAGE)


@router.post(_REPO + "/branch/{rest:path}")
def create_branch(request: Request, plural: str, namespace: str, name: str, rest: str,
                  body: OptionalJsonBody = None) -> dict[str, Any]:
    caller, repo = api_repo(request, plural, namespace, name)
    branch = "/".join(tail_after(request, "branch", 4))
    start = (body or {}).get("startingPoint") or "main"
    service_of(request).create_ref(caller, repo, "branch", branch, start)
    return {}


@router.delete(_REPO + "/branch/{rest:path}")
def delete_branch(request: Request, plural: str, namespace: str, name: str, rest: str) -> dict[str, Any]:
    caller, repo = api_repo(request, plural, namespace, name)
    service_of(request).delete_ref(caller, repo, "branch", "/".join(tail_after(request, "branch", 4)))
    return {}


@router.post(_REPO + "/tag/{rest:path}")
def create_tag(request: Request, plural: str, namespace: str, name: str, rest: str,
               body: JsonBody) -> dict[str, Any]:
    caller, repo = api_repo(request, plural, namespace, name)
    tag = body.get("tag")
    if not isinstance(tag, str):
        raise bad_request("The request body needs 'tag' (the tag name).")
    service_of(request).create_ref(caller, repo, "tag", tag, "/".join(tail_after(request, "tag", 4)))
    return {}


@router.delete(_REPO + "/tag/{rest:path}")
def delete_tag(request: Request, plural: str, namespace: str, name: str, rest: str) -> dict[str, Any]:
    caller, repo = api_repo(request, plural, namespace, name)
    service_of(request).delete_ref(caller, repo, "tag", "/".join(tail_after(request, "tag", 4)))
    return {}

