"""Discussions and pull requests: numbering, events, status changes and merges.

A pull request ``N`` is the git ref ``refs/pr/N``; discussions and pull requests share one
counter per repo. Merging writes a merge commit (parents: base head, PR head) on the base
branch; a path changed on both sides since the merge base is a conflict and blocks the merge.
"""

from __future__ import annotations

import difflib
from typing import Any

from gitdb.util import bin_to_hex

from ffasr_eval.hub._db import DiscussionRow, EventRow, RepoRow
from ffasr_eval.hub._errors import HubHTTPError, bad_request, unauthorized
from ffasr_eval.hub._git import GitStore, Operation
from ffasr_eval.hub._service import OPEN_STATUSES, Caller, HubService, require_owner

_DIFF_LIMIT = 200_000


def get(service: HubService, repo: RepoRow, num: int) -> DiscussionRow:
    discussion = service.db.get_discussion(repo.type, repo.id, num)
    if discussion is None:
        raise HubHTTPError(404, f"Discussion #{num} not found in {repo.id}.")
    return discussion


def create(service: HubService, caller: Caller, repo: RepoRow, title: str, description: str,
           pull_request: bool) -> int:
    """Open a discussion, or a draft pull request whose ref starts at main's head."""
    if caller.name is None:
        raise unauthorized("You must be authenticated to open a discussion or a pull request.")
    if not title.strip():
        raise bad_request("A discussion needs a non-empty title.")
    store = service.store(repo)
    with store.lock:
        num = service.db.next_discussion_num(repo.type, repo.id)
        if pull_request:
            store.set_ref(f"refs/pr/{num}", service.resolve(repo, "main"))
        service.db.add_discussion(repo.type, repo.id, num, title=title.strip(), author=caller.name,
                                  is_pr=pull_request, base="refs/heads/main" if pull_request else None,
                                  description=description, status="draft" if pull_request else "open")
    return num


def comment(service: HubService, caller: Caller, repo: RepoRow, num: int, text: str) -> EventRow:
    if caller.name is None:
        raise unauthorized("You must be authenticated to comment.")
    get(service, repo, num)
    if not text.strip():
        raise bad_request("A comment cannot be empty.")
    return service.db.add_comment(repo.type, repo.id, num, caller.name, text)


def rename(service: HubService, caller: Caller, repo: RepoRow, num: int, title: str) -> EventRow:
    discussion = get(service, repo, num)
    if caller.name != discussion.author:
        require_owner(caller, repo.id, "rename this discussion")
    if not title.strip():
        raise bad_request("A discussion needs a non-empty title.")
    return service.db.update_discussion(repo.type, repo.id, num, "title-change", caller.name,
                                        {"from": discussion.title, "to": title.strip()}, title=title.strip())


def change_status(service: HubService, caller: Caller, repo: RepoRow, num: int, status: str,
                  text: str | None) -> EventRow:
    """Close or reopen; only the repo owners may (as for merging)."""
    require_owner(caller, repo.id, "change the status of a discussion")
    discussion = get(service, repo, num)
    if status not in ("open", "closed"):
        raise bad_request(f"Invalid status {status!r}: expected 'open' or 'closed'.")
    if discussion.status == "merged":
        raise bad_request(f"Pull request #{num} is merged; its status cannot change.")
    if text:
        service.db.add_comment(repo.type, repo.id, num, caller.name or "", text)
    return service.db.update_discussion(repo.type, repo.id, num, "status-change", caller.name,
                                        {"status": status}, status=status)


def merge(service: HubService, caller: Caller, repo: RepoRow, num: int, text: str | None) -> str:
    """Merge pull request ``num`` into its base branch; return the merge commit sha."""
    require_owner(caller, repo.id, "merge a pull request")
    discussion = get(service, repo, num)
    if not discussion.is_pr:
        raise bad_request(f"#{num} is a discussion, not a pull request.")
    if discussion.status not in OPEN_STATUSES:
        raise bad_request(f"Pull request #{num} is {discussion.status}; only open pull requests can be merged.")
    store = service.store(repo)
    base = discussion.base or "refs/heads/main"
    with store.lock:
        base_head, pr_head = store.ref_target(base), store.ref_target(f"refs/pr/{num}")
        if base_head is None or pr_head is None:
            raise HubHTTPError(409, f"Pull request #{num} cannot be merged: its base or its ref is missing.")
        operations, conflicts = _changes(store, base_head, pr_head)
        if conflicts:
            raise HubHTTPError(409, f"Pull request #{num} has conflicts with {base} in: {', '.join(conflicts)}.")
        tree = store.apply(base_head, operations)
        oid = store.write_commit(tree, [base_head, pr_head], f"Merge pull request #{num}: {discussion.title}",
                                 f"Merged by {caller.name}.", caller.name or "")
        store.set_ref(base, oid)
        if text:
            service.db.add_comment(repo.type, repo.id, num, caller.name or "", text)
        service.db.update_discussion(repo.type, repo.id, num, "status-change", caller.name, {"status": "merged"},
                                     status="merged", merge_commit=oid)
    return oid


def _changes(store: GitStore, base_head: str, pr_head: str) -> tuple[list[Operation], list[str]]:
    """Operations bringing the PR's changes (since the merge base) onto base, and conflicting paths."""
    ancestor = store.merge_base(base_head, pr_head)
    old = store.files(ancestor) if ancestor else {}
    ours, theirs = store.files(base_head), store.files(pr_head)
    operations, conflicts = [], []
    for path in sorted(set(old) | set(theirs)):
        if old.get(path) == theirs.get(path) or ours.get(path) == theirs.get(path):
            continue
        if ours.get(path) != old.get(path):
            conflicts.append(path)
        elif path in theirs:
            operations.append(Operation("add", path, theirs[path][1]))
        else:
            operations.append(Operation("delete_file", path))
    return operations, conflicts


def event_json(event: EventRow) -> dict[str, Any]:
    """An event (comment, commit, status-change, title-change) as the client parses it."""
    return {"id": event.id, "type": event.kind, "createdAt": event.created_at,
            "author": {"name": event.author or "deleted", "type": "user"}, "data": event.data}


def summary(repo: RepoRow, discussion: DiscussionRow) -> dict[str, Any]:
    """The discussion object of list and details responses."""
    return {
        "num": discussion.num, "title": discussion.title, "status": discussion.status,
        "createdAt": discussion.created_at, "isPullRequest": discussion.is_pr,
        "author": {"name": discussion.author, "type": "user"},
        "repo": {"name": repo.id, "type": repo.type},
        "pinned": False, "numComments": 0, "topReactions": [],
    }


def details(service: HubService, repo: RepoRow, discussion: DiscussionRow, with_diff: bool) -> dict[str, Any]:
    """Details: events, and for pull requests the base, merge commit, conflicts and diff."""
    body = summary(repo, discussion)
    body["events"] = [event_json(e) for e in service.db.events(repo.type, repo.id, discussion.num)]
    if discussion.is_pr:
        body["changes"] = {"base": discussion.base or "refs/heads/main"}
        if discussion.merge_commit:
            body["changes"]["mergeCommitId"] = discussion.merge_commit
        store = service.store(repo)
        base_head, pr_head = store.ref_target(body["changes"]["base"]), store.ref_target(f"refs/pr/{discussion.num}")
        conflicts: list[str] = []
        if discussion.status in OPEN_STATUSES and base_head and pr_head:
            conflicts = _changes(store, base_head, pr_head)[1]
            if with_diff:
                body["diff"] = _diff(store, base_head, pr_head)
        body["filesWithConflicts"] = conflicts
    return body


def _diff(store: GitStore, base_head: str, pr_head: str) -> str:
    """A unified diff of the pull request (text files; binary files named only)."""
    ancestor = store.merge_base(base_head, pr_head)
    old, new = (store.files(ancestor) if ancestor else {}), store.files(pr_head)
    out: list[str] = []
    for path in sorted(set(old) | set(new)):
        if old.get(path) == new.get(path):
            continue
        out.append(f"diff --git a/{path} b/{path}\n")
        texts = [_text(store, side.get(path)) for side in (old, new)]
        if None in texts:
            out.append("Binary files differ\n")
            continue
        lines = difflib.unified_diff(texts[0].splitlines(), texts[1].splitlines(),  # type: ignore[union-attr]
                                     f"a/{path}", f"b/{path}", lineterm="")
        out.extend(f"{line}\n" for line in lines)
        if sum(map(len, out)) > _DIFF_LIMIT:
            out.append("... diff truncated\n")
            break
    return "".join(out)


def _text(store: GitStore, entry: tuple[int, bytes] | None) -> str | None:
    if entry is None:
        return ""
    oid = bin_to_hex(entry[1]).decode()
    if store.blob_size(entry[1]) > _DIFF_LIMIT:
        return None
    try:
        return store.read_blob(oid).decode()
    except UnicodeDecodeError:
        return None


def visible_for_list(discussion: DiscussionRow, kind: str | None, status: str | None, author: str | None) -> bool:
    if kind == "pull_request" and not discussion.is_pr or kind == "discussion" and discussion.is_pr:
        return False
    if status == "open" and discussion.status not in OPEN_STATUSES:
        return False
    if status == "closed" and discussion.status in OPEN_STATUSES:
        return False
    return author is None or discussion.author == author
