"""The embedded Hub's state and rules: accounts, repos, permissions, commits and pull requests.

Routes stay thin: they parse HTTP and call this class; everything that touches storage, and
every authorization decision, lives here.
"""

from __future__ import annotations

import shutil
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from ffasr_eval.errors import HubServerError
from ffasr_eval.hub._db import DiscussionRow, MetaDB, RepoRow
from ffasr_eval.hub._errors import (
    HubHTTPError,
    bad_request,
    forbidden,
    repo_not_found,
    revision_not_found,
    unauthorized,
)
from ffasr_eval.hub._git import GitStore, Quarantine
from ffasr_eval.hub._ids import check_branch, check_name, check_repo_id
from ffasr_eval.hub._ndjson import CommitRequest, SpooledBody, parse_commit

_GITATTRIBUTES = b"# Created by the ffasr-eval embedded Hub: every file is a regular git blob (no LFS).\n"
OPEN_STATUSES = ("open", "draft")


@dataclass(frozen=True)
class Caller:
    """Who sends a request: a user name and their orgs, or anonymous (name None)."""

    name: str | None = None
    orgs: tuple[str, ...] = ()

    def owns(self, repo_id: str) -> bool:
        namespace = repo_id.split("/")[0].lower()
        return self.name is not None and (namespace == self.name.lower() or namespace in {o.lower() for o in self.orgs})


ANONYMOUS = Caller()


@dataclass(frozen=True)
class CommitResult:
    oid: str
    pr_num: int | None = None


class HubService:
    """State of one embedded Hub: a data directory with ``meta.sqlite`` and ``repos/``."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.repos_dir = self.data_dir / "repos"
        self.spool_dir = self.data_dir / "tmp"
        for folder in (self.repos_dir, self.spool_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self.db = MetaDB(self.data_dir / "meta.sqlite")
        self._stores: dict[tuple[str, str], GitStore] = {}
        self._stores_lock = threading.Lock()
        self._create_lock = threading.Lock()

    def recover(self) -> None:
        """Drop leftovers of a killed server: quarantined objects, ref locks and half-created repos.

        (Request bodies are spooled to unnamed temporary files, which vanish with the process.)
        """
        for repo_path in self.repos_dir.glob("*/*/*"):
            if repo_path.name.endswith(".tmp"):
                shutil.rmtree(repo_path, ignore_errors=True)
            else:
                GitStore.recover(repo_path)

    # accounts -------------------------------------------------------------------------------

    def create_user(self, name: str, orgs: tuple[str, ...] | list[str] = ()) -> str:
        """Create a user (and join or create its orgs); return a new access token."""
        check_name(name, "user name")
        if self.db.account_kind(name) is None:
            self.db.add_account(name, "user")
        elif self.db.account_kind(name) != "user":
            raise HubServerError(f"{name!r} is an organization, not a user.")
        for org in orgs:
            self.create_org(org, members=[name])
        return self.db.add_token(name)

    def create_org(self, name: str, members: list[str] | tuple[str, ...] = ()) -> None:
        """Create an organization if needed and add members to it."""
        check_name(name, "organization name")
        kind = self.db.account_kind(name)
        if kind == "user":
            raise HubServerError(f"{name!r} is a user, not an organization.")
        if kind is None:
            self.db.add_account(name, "org")
        for member in members:
            if self.db.account_kind(member) != "user":
                raise HubServerError(f"Cannot add {member!r} to {name!r}: no such user.")
            self.db.add_member(name, member)

    def caller(self, token: str | None) -> Caller:
        if token is None:
            return ANONYMOUS
        user = self.db.user_of_token(token)
        if user is None:
            raise HubHTTPError(401, "Invalid credentials in Authorization header")
        return Caller(user, tuple(self.db.orgs_of(user)))

    # repos ----------------------------------------------------------------------------------

    def store(self, repo: RepoRow) -> GitStore:
        key = (repo.type, repo.id)
        with self._stores_lock:
            store = self._stores.get(key)
            if store is None:
                path = self._repo_path(repo.type, repo.id)
                if not path.is_dir():
                    raise HubServerError(f"Storage of {repo.type} {repo.id} is missing at {path}.")
                store = self._stores[key] = GitStore(path)
            return store

    def _repo_path(self, repo_type: str, repo_id: str) -> Path:
        namespace, name = repo_id.split("/")
        return self.repos_dir / f"{repo_type}s" / namespace / f"{name}.git"

    def visible_repo(self, caller: Caller, repo_type: str, repo_id: str) -> RepoRow:
        """The repo if it exists and the caller may see it; otherwise 404 RepoNotFound (as the Hub)."""
        repo = self.db.get_repo(repo_type, repo_id) if "/" in repo_id else None
        if repo is None or (repo.private and not caller.owns(repo.id)):
            raise repo_not_found(repo_id, repo_type)
        return repo

    def owned_repo(self, caller: Caller, repo_type: str, repo_id: str, action: str) -> RepoRow:
        repo = self.visible_repo(caller, repo_type, repo_id)
        require_owner(caller, repo.id, action)
        return repo

    def create_repo(self, caller: Caller, repo_type: str, repo_id: str, private: bool, url: str) -> RepoRow:
        if caller.name is None:
            raise unauthorized()
        namespace, _ = check_repo_id(repo_id)
        if self.db.account_kind(namespace) is None or not caller.owns(repo_id):
            raise forbidden(f"You don't have the rights to create a repo under the namespace {namespace!r}.")
        with self._create_lock:
            if self.db.get_repo(repo_type, repo_id) is not None:
                raise HubHTTPError(409, "You already created this repo.", extra={"url": url})
            path = self._repo_path(repo_type, repo_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists():
                shutil.rmtree(path)  # storage of a repo whose metadata row was never written
            GitStore.create(path, caller.name, {".gitattributes": _GITATTRIBUTES})
            self.db.add_repo(repo_type, repo_id, private)
        repo = self.db.get_repo(repo_type, repo_id)
        assert repo is not None
        return repo

    def delete_repo(self, caller: Caller, repo_type: str, repo_id: str) -> None:
        repo = self.owned_repo(caller, repo_type, repo_id, "delete this repo")
        with self._create_lock, self._stores_lock:
            self.db.delete_repo(repo.type, repo.id)
            self._stores.pop((repo.type, repo.id), None)
            path = self._repo_path(repo.type, repo.id)
            trash = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
            path.rename(trash)
            shutil.rmtree(trash, ignore_errors=True)

    def list_repos(self, caller: Caller, repo_type: str) -> list[RepoRow]:
        return [r for r in self.db.list_repos(repo_type) if not r.private or caller.owns(r.id)]

    def resolve(self, repo: RepoRow, revision: str) -> str:
        """Commit sha of a revision (branch, tag, refs/pr/N, sha) or 404 RevisionNotFound."""
        oid = self.store(repo).resolve(revision)
        if oid is None:
            raise revision_not_found(revision)
        return oid

    # commits --------------------------------------------------------------------------------

    def commit(self, caller: Caller, repo: RepoRow, revision: str, body: SpooledBody, create_pr: bool) -> CommitResult:
        """Apply an NDJSON commit body to ``revision`` (or to a new pull request)."""
        if caller.name is None:
            raise unauthorized()
        store = self.store(repo)
        discussion = self._pr_of_ref(repo, revision)
        if create_pr:
            if revision.startswith("refs/pr/"):
                raise bad_request("Cannot open a pull request from a pull request revision; use main or a branch.")
            base_ref = self._branch_ref(store, revision)
        elif discussion is not None:
            if discussion.status not in OPEN_STATUSES:
                raise forbidden(f"Pull request #{discussion.num} is {discussion.status}; reopen it to push commits.")
            if not caller.owns(repo.id) and caller.name != discussion.author:
                raise forbidden(f"Only the author of pull request #{discussion.num} and the repo owners can push to it.")
            base_ref = revision
        else:
            base_ref = self._branch_ref(store, revision)
            require_owner(caller, repo.id, f"push to {revision} (open a pull request with create_pr=True instead)")
        quarantine = store.quarantine()
        try:
            request = parse_commit(body, quarantine.add_blob)
            with store.lock:
                head = store.ref_target(base_ref)
                if head is None:
                    raise revision_not_found(revision)
                if request.parent_commit is not None:
                    if create_pr:
                        if not store.has_commit(request.parent_commit):
                            raise revision_not_found(request.parent_commit)
                        head = request.parent_commit
                    elif head != request.parent_commit:
                        raise HubHTTPError(
                            412, "A commit has happened since. Please refresh and try again. "
                                 f"(parent commit {request.parent_commit} is not the head {head} of {revision})")
                oid = self._write(store, quarantine, head, request, caller.name)
                if create_pr:
                    num = self.db.next_discussion_num(repo.type, repo.id)
                    store.set_ref(f"refs/pr/{num}", oid)
                    self.db.add_discussion(repo.type, repo.id, num, title=request.summary, author=caller.name,
                                           is_pr=True, base=base_ref, description=request.description, status="open")
                    self.db.update_discussion(repo.type, repo.id, num, "commit", caller.name,
                                              {"subject": request.summary, "oid": oid})
                    return CommitResult(oid, num)
                store.set_ref(base_ref, oid)
                if discussion is not None:
                    self.db.update_discussion(repo.type, repo.id, discussion.num, "commit", caller.name,
                                              {"subject": request.summary, "oid": oid}, status="open")
                return CommitResult(oid)
        finally:
            quarantine.discard()

    @staticmethod
    def _write(store: GitStore, quarantine: Quarantine, head: str, request: CommitRequest, author: str) -> str:
        tree = store.apply(head, request.operations)
        quarantine.publish(store.objects_dir)
        return store.write_commit(tree, [head], request.summary, request.description, author)

    def _branch_ref(self, store: GitStore, revision: str) -> str:
        ref = revision if revision.startswith("refs/heads/") else f"refs/heads/{revision}"
        if store.ref_target(ref) is None:
            raise revision_not_found(revision)
        return ref

    def _pr_of_ref(self, repo: RepoRow, revision: str) -> DiscussionRow | None:
        if not revision.startswith("refs/pr/"):
            return None
        number = revision.removeprefix("refs/pr/")
        discussion = self.db.get_discussion(repo.type, repo.id, int(number)) if number.isdigit() else None
        if discussion is None or not discussion.is_pr:
            raise revision_not_found(revision)
        return discussion

    # branches and tags ----------------------------------------------------------------------

    def create_ref(self, caller: Caller, repo: RepoRow, kind: str, name: str, start: str) -> None:
        """Create a branch or tag ``name`` at revision ``start`` (409 if it exists)."""
        require_owner(caller, repo.id, f"create a {kind}")
        check_branch(name)
        store = self.store(repo)
        ref = f"refs/{'heads' if kind == 'branch' else 'tags'}/{name}"
        with store.lock:
            if store.ref_target(ref) is not None:
                raise HubHTTPError(409, f"The {kind} {name!r} already exists.")
            store.set_ref(ref, self.resolve(repo, start))

    def delete_ref(self, caller: Caller, repo: RepoRow, kind: str, name: str) -> None:
        require_owner(caller, repo.id, f"delete a {kind}")
        if kind == "branch" and name == "main":
            raise forbidden("The main branch cannot be deleted.")
        store = self.store(repo)
        ref = f"refs/{'heads' if kind == 'branch' else 'tags'}/{name}"
        with store.lock:
            if store.ref_target(ref) is None:
                raise revision_not_found(name)
            store.delete_ref(ref)


def require_owner(caller: Caller, repo_id: str, action: str) -> None:
    """401 for anonymous callers, 403 for users who do not own the repo's namespace."""
    if caller.name is None:
        raise unauthorized(f"You must be authenticated to {action}.")
    if not caller.owns(repo_id):
        raise forbidden(f"You don't have the rights to {action} in {repo_id}: only its owners can.")

