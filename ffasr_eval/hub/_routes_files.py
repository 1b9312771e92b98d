"""Routes for content: preupload, commit, tree, paths-info and resolve (file download)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO
from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from ffasr_eval.hub._errors import HubHTTPError, bad_request, entry_not_found
from ffasr_eval.hub._http import (
    JsonBody,
    api_repo,
    endpoint_of,
    paginate,
    repo_url,
    service_of,
    tail_after,
)
from ffasr_eval.hub._ids import check_path
from ffasr_eval.hub._info import entry_json
from ffasr_eval.hub._ndjson import SpooledBody

router = APIRouter()
_REPO = "/api/{plural}/{namespace}/{name}"
_TREE_PAGE = 1000
_CHUNK = 1024 * 1024
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("1", "true")


@router.post(_REPO + "/preupload/{rest:path}")
def preupload(request: Request, plural: str, namespace: str, name: str, rest: str,
              body: JsonBody) -> dict[str, Any]:
    _, repo = api_repo(request, plural, namespace, name)
    service = service_of(request)
    revision = "/".join(tail_after(request, "preupload", 4))
    files = body.get("files")
    if not isinstance(files, list) or not all(isinstance(f, dict) and isinstance(f.get("path"), str) for f in files):
        raise bad_request("The request body needs 'files': a list of {path, size, sample}.")
    head = service.store(repo).resolve(revision) if not _flag(request, "create_pr") else None
    answer = []
    for item in files:
        path = check_path(item["path"])
        entry = service.store(repo).entry(head, path) if head else None
        remote = entry.oid if entry is not None and not entry.is_dir else None
        answer.append({"path": item["path"], "uploadMode": "regular", "shouldIgnore": False, "oid": remote})
    return {"files": answer}


@router.post(_REPO + "/commit/{rest:path}")
async def commit(request: Request, plural: str, namespace: str, name: str, rest: str) -> dict[str, Any]:
    caller, repo = await run_in_threadpool(api_repo, request, plural, namespace, name)
    service = service_of(request)
    revision = "/".join(tail_after(request, "commit", 4))
    create_pr = _flag(request, "create_pr")
    length = request.headers.get("content-length")
    body = await SpooledBody.receive(request.stream(), int(length) if length and length.isdigit() else None,
                                    service.spool_dir)
    try:
        result = await run_in_threadpool(service.commit, caller, repo, revision, body, create_pr)
    finally:
        body.close()
    url = repo_url(endpoint_of(request), repo)
    answer: dict[str, Any] = {"success": True, "commitOid": result.oid, "commitUrl": f"{url}/commit/{result.oid}",
                              "hookOutput": ""}
    if result.pr_num is not None:
        answer["pullRequestUrl"] = f"{url}/discussions/{result.pr_num}"
    return answer


@router.get(_REPO + "/tree/{rest:path}")
def tree(request: Request, response: Response, plural: str, namespace: str, name: str, rest: str,
         recursive: bool = False) -> list[dict[str, Any]]:
    _, repo = api_repo(request, plural, namespace, name)
    service = service_of(request)
    tail = tail_after(request, "tree", 4)
    if not tail or not tail[0]:
        raise bad_request("Malformed URL: /tree/{revision}[/{path}] expected.")
    path = check_path("/".join(tail[1:]), allow_root=True)
    commit_oid = service.resolve(repo, tail[0])
    entries = [entry_json(e) for e in service.store(repo).list_dir(commit_oid, path, recursive)]
    return paginate(request, response, entries, _TREE_PAGE)


@router.post(_REPO + "/paths-info/{rest:path}")
async def paths_info(request: Request, plural: str, namespace: str, name: str, rest: str) -> list[dict[str, Any]]:
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    if "paths" not in form and request.headers.get("content-type", "").startswith("application/json"):
        raise bad_request("paths-info expects a form body: paths=a&paths=b&expand=false.")
    return await run_in_threadpool(_paths_info, request, plural, namespace, name, form.get("paths", []))


def _paths_info(request: Request, plural: str, namespace: str, name: str, paths: list[str]) -> list[dict[str, Any]]:
    _, repo = api_repo(request, plural, namespace, name)
    service = service_of(request)
    commit_oid = service.resolve(repo, "/".join(tail_after(request, "paths-info", 4)))
    found = []
    for raw in paths:
        entry = service.store(repo).entry(commit_oid, check_path(raw, allow_root=True))
        if entry is not None and entry.path:
            found.append(entry_json(entry))
    return found


@router.api_route("/datasets/{namespace}/{name}/resolve/{rest:path}", methods=["GET", "HEAD"])
def resolve_dataset(request: Request, namespace: str, name: str, rest: str) -> Response:
    return _resolve(request, "datasets", namespace, name, 3)


@router.api_route("/spaces/{namespace}/{name}/resolve/{rest:path}", methods=["GET", "HEAD"])
def resolve_space(request: Request, namespace: str, name: str, rest: str) -> Response:
    return _resolve(request, "spaces", namespace, name, 3)


@router.api_route("/{namespace}/{name}/resolve/{rest:path}", methods=["GET", "HEAD"])
def resolve_model(request: Request, namespace: str, name: str, rest: str) -> Response:
    return _resolve(request, "models", namespace, name, 2)


def _resolve(request: Request, plural: str, namespace: str, name: str, skip: int) -> Response:
    _, repo = api_repo(request, plural, namespace, name)
    service = service_of(request)
    tail = tail_after(request, "resolve", skip)
    if len(tail) < 2:
        raise bad_request("Malformed URL: /resolve/{revision}/{path} expected.")
    commit_oid = service.resolve(repo, tail[0])
    path = "/".join(tail[1:])
    store = service.store(repo)
    entry = store.entry(commit_oid, path) if path and ".." not in tail[1:] else None
    if entry is None or entry.is_dir:
        raise entry_not_found(path, commit_oid)
    headers = {"X-Repo-Commit": commit_oid, "ETag": f'"{entry.oid}"', "Accept-Ranges": "bytes",
               "Content-Type": "application/octet-stream"}
    start, end, status = 0, entry.size, 200
    requested = request.headers.get("range")
    if requested:
        start, end = _byte_range(requested, entry.size)
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{entry.size}"
    headers["Content-Length"] = str(end - start)
    if request.method == "HEAD":
        return Response(status_code=status, headers=headers)
    return StreamingResponse(_read(store.open_blob(entry.oid), start, end), status_code=status, headers=headers)


def _byte_range(header: str, size: int) -> tuple[int, int]:
    match = _RANGE.fullmatch(header.strip())
    if match is None or match.group(1) == match.group(2) == "":
        raise HubHTTPError(416, f"Unsupported Range {header!r}: use a single 'bytes=a-b' range.",
                           headers={"Content-Range": f"bytes */{size}"})
    first, last = match.groups()
    if first == "":
        start, end = max(size - int(last), 0), size
    else:
        start, end = int(first), min(int(last) + 1, size) if last else size
    if start >= size > 0 or start > end:
        raise HubHTTPError(416, f"Range {header!r} is outside the file ({size} bytes).",
                           headers={"Content-Range": f"bytes */{size}"})
    return start, end


def _read(stream: BinaryIO, start: int, end: int) -> Iterator[bytes]:
    with stream:
        position = 0
        while position < start:
            skipped = stream.read(min(_CHUNK, start - position))
            if not skipped:
                return
            position += len(skipped)
        while position < end:
            chunk = stream.read(min(_CHUNK, end - position))
            if not chunk:
                return
            position += len(chunk)
            yield chunk
