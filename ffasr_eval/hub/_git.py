"""Storage of one Hub repo: a bare git repository read and written with GitPython's pure-Python
object database (no `git` subprocess on the request path).

Writes are crash-safe the way git itself is: the objects of an incoming commit go to a
quarantine folder first, move into the object store only once the whole request was read and
checked, and the branch moves last, by an atomic lock-file rename. A killed server leaves
either the old or the new branch head, never half a commit.
"""

from __future__ import annotations

import heapq
import io
import os
import shutil
import threading
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import git
from git.objects.fun import tree_entries_from_data, tree_to_stream
from gitdb import IStream, LooseObjectDB
from gitdb.util import bin_to_hex, hex_to_bin

from ffasr_eval.hub._errors import HubHTTPError, bad_request, entry_not_found
from ffasr_eval.hub._ids import COMMIT_SHA

#: Blobs up to this size are read in-process; bigger ones stream from `git cat-file`.
_IN_PROCESS_BLOB = 8 * 1024 * 1024
FILE_MODE = 0o100644
DIR_MODE = 0o040000
_QUARANTINE_PREFIX = "incoming-"


@dataclass(frozen=True)
class Entry:
    """A file or folder at some revision."""

    path: str
    is_dir: bool
    oid: str
    size: int = 0


@dataclass(frozen=True)
class CommitRecord:
    """One commit as listed by the commits endpoint."""

    oid: str
    title: str
    message: str
    author: str
    timestamp: int
    parents: tuple[str, ...]


@dataclass
class Operation:
    """One change of a commit: ``add`` (with the blob sha), ``delete_file`` or ``delete_folder``."""

    kind: str
    path: str
    blob: bytes | None = field(default=None, repr=False)


class Quarantine:
    """A private object folder for the blobs of one incoming commit.

    Example:
        >>> with store.quarantine() as q:               # doctest: +SKIP
        ...     oid = q.add_blob(stream, size)
        ...     store.commit_quarantined(q, ...)        # moves q's objects in, then the ref
    """

    def __init__(self, objects_dir: Path) -> None:
        self.path = objects_dir / f"{_QUARANTINE_PREFIX}{uuid.uuid4().hex}"
        self.path.mkdir()
        self._db = LooseObjectDB(str(self.path))

    def add_blob(self, stream: BinaryIO, size: int) -> bytes:
        """Store ``size`` bytes read from ``stream`` as a blob; return its binary sha."""
        return self._db.store(IStream(b"blob", size, stream)).binsha

    def publish(self, objects_dir: Path) -> None:
        """Move every quarantined object into the repository's object store."""
        for sub in self.path.iterdir():
            if not sub.is_dir():
                continue
            target_dir = objects_dir / sub.name
            target_dir.mkdir(exist_ok=True)
            for obj in sub.iterdir():
                target = target_dir / obj.name
                if not target.exists():
                    os.replace(obj, target)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


class _ProcessOutput(io.RawIOBase):
    """The stdout of a `git` process as a readable stream; closing it reaps the process."""

    def __init__(self, process: Any) -> None:
        self._process = process

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._process.stdout.read(size)

    def close(self) -> None:
        if not self.closed:
            self._process.stdout.close()
            self._process.wait()
        super().close()


class _Dir:
    """A mutable tree node used while applying a commit's operations."""

    def __init__(self, store: GitStore, binsha: bytes | None) -> None:
        self.store = store
        self.binsha = binsha
        self.dirty = binsha is None
        self.entries: dict[str, tuple[int, bytes] | _Dir] = {}
        if binsha is not None:
            for sha, mode, name in store.tree_entries(binsha):
                self.entries[name] = (mode, sha)

    def child(self, name: str, create: bool, path: str) -> _Dir | None:
        entry = self.entries.get(name)
        if entry is None:
            if not create:
                return None
            node = _Dir(self.store, None)
            self.entries[name] = node
            self.dirty = True
            return node
        if isinstance(entry, _Dir):
            return entry
        mode, sha = entry
        if mode != DIR_MODE:
            raise bad_request(f"Cannot use {path!r} as a folder: a file with this name exists.")
        node = _Dir(self.store, sha)
        self.entries[name] = node
        return node

    def walk(self, parts: list[str], create: bool, path: str) -> _Dir | None:
        node: _Dir | None = self
        for name in parts:
            assert node is not None
            node = node.child(name, create, path)
            if node is None:
                return None
        return node

    def changed(self) -> bool:
        """Whether this tree or any tree below it was modified."""
        return self.dirty or any(isinstance(e, _Dir) and e.changed() for e in self.entries.values())

    def write(self) -> bytes | None:
        """Write changed trees bottom-up; return this tree's sha (None when it became empty)."""
        if not self.changed():
            return self.binsha
        items: list[tuple[bytes, int, str]] = []
        for name, entry in self.entries.items():
            if isinstance(entry, _Dir):
                sha = entry.write()
                if sha is not None:
                    items.append((sha, DIR_MODE, name))
            else:
                items.append((entry[1], entry[0], name))
        if not items:
            return None
        items.sort(key=lambda item: item[2] + "/" if item[1] == DIR_MODE else item[2])
        return self.store.write_tree(items)


class GitStore:
    """One bare git repository holding one Hub repo."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.repo = git.Repo(str(path), odbt=git.GitDB)
        self.objects_dir = path / "objects"
        self.lock = threading.Lock()
        self._sizes: dict[bytes, int] = {}
        self._trees: dict[bytes, list[tuple[bytes, int, str]]] = {}

    @classmethod
    def create(cls, path: Path, author: str, initial_files: dict[str, bytes]) -> GitStore:
        """Create the bare repository with a first commit on ``main``, atomically (temp dir + rename)."""
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        git.Repo.init(str(tmp), bare=True, initial_branch="main")
        store = cls(tmp)
        root = _Dir(store, None)
        for name, data in initial_files.items():
            blob = store.repo.odb.store(IStream(b"blob", len(data), io.BytesIO(data))).binsha
            root.entries[name] = (FILE_MODE, blob)
        oid = store.write_commit(root.write(), [], "initial commit", "", author)
        store.set_ref("refs/heads/main", oid)
        os.replace(tmp, path)
        return cls(path)

    @staticmethod
    def recover(path: Path) -> None:
        """Remove what a killed server left behind: quarantined objects and stale ref lock files.

        Only safe while no server uses the repository (the server holds the data-dir lock).
        """
        for sub in (path / "objects").glob(f"{_QUARANTINE_PREFIX}*"):
            shutil.rmtree(sub, ignore_errors=True)
        for lock in [*(path / "refs").rglob("*.lock"), *path.glob("*.lock")]:
            lock.unlink(missing_ok=True)

    # objects --------------------------------------------------------------------------------

    def quarantine(self) -> Quarantine:
        return Quarantine(self.objects_dir)

    def tree_entries(self, binsha: bytes) -> list[tuple[bytes, int, str]]:
        """The (binsha, mode, name) entries of a tree object (cached: objects never change)."""
        entries = self._trees.get(binsha)
        if entries is None:
            entries = tree_entries_from_data(self.repo.odb.stream(binsha).read())
            if len(self._trees) > 4096:
                self._trees.clear()
            self._trees[binsha] = entries
        return entries

    def write_tree(self, items: list[tuple[bytes, int, str]]) -> bytes:
        buffer = io.BytesIO()
        tree_to_stream(items, buffer.write)
        data = buffer.getvalue()
        return self.repo.odb.store(IStream(b"tree", len(data), io.BytesIO(data))).binsha

    def write_commit(self, tree: bytes | None, parents: list[str], title: str, description: str,
                     author: str) -> str:
        """Write a commit object (an empty tree if ``tree`` is None); return its hex sha."""
        if tree is None:
            tree = self.write_tree([])
        actor = git.Actor(author, f"{author}@users.noreply.localhost")
        message = title if not description else f"{title}\n\n{description}"
        commit = git.Commit.create_from_tree(
            self.repo, git.Tree(self.repo, tree), message,
            parent_commits=[git.Commit(self.repo, hex_to_bin(p)) for p in parents],
            head=False, author=actor, committer=actor,
        )
        return commit.hexsha

    def blob_size(self, binsha: bytes) -> int:
        """Size of a blob (cached: objects never change)."""
        size = self._sizes.get(binsha)
        if size is None:
            size = self._sizes[binsha] = self._loose_size(binsha) or self.repo.odb.info(binsha).size
        return size

    def _loose_size(self, binsha: bytes) -> int | None:
        """Size from a loose object's header, reading only its first bytes.

        (gitdb's ``info`` hands zlib the whole mapped file, whose unconsumed tail is then copied:
        a transient copy of every big object.)
        """
        hexsha = bin_to_hex(binsha).decode()
        try:
            with open(self.objects_dir / hexsha[:2] / hexsha[2:], "rb") as handle:
                header = zlib.decompressobj().decompress(handle.read(1024), 64)
        except FileNotFoundError:
            return None
        kind, _, size = header.partition(b"\0")[0].partition(b" ")
        return int(size) if kind == b"blob" and size.isdigit() else None

    def open_blob(self, oid: str) -> BinaryIO:
        """A readable stream of a blob's content; close it when done.

        Small blobs are read in-process. Big ones stream from ``git cat-file``: gitdb's loose
        object reader decompresses a whole object on the first read (measured: 155 MB of Python
        memory to stream a 50 MB blob), while git streams in constant memory.
        """
        binsha = hex_to_bin(oid)
        if self.blob_size(binsha) <= _IN_PROCESS_BLOB:
            return io.BytesIO(self.repo.odb.stream(binsha).read())
        process = self.repo.git.cat_file("blob", oid, as_process=True)
        return _ProcessOutput(process)

    def has_commit(self, oid: str) -> bool:
        binsha = hex_to_bin(oid)
        return self.repo.odb.has_object(binsha) and self.repo.odb.info(binsha).type == b"commit"

    # refs -----------------------------------------------------------------------------------

    def ref_target(self, ref: str) -> str | None:
        """The commit a full ref name (``refs/heads/main``) points to, or None."""
        try:
            oid = git.SymbolicReference.dereference_recursive(self.repo, ref)
        except ValueError:
            return None
        return oid if oid and COMMIT_SHA.fullmatch(oid) else None

    def set_ref(self, ref: str, oid: str) -> None:
        """Point ``ref`` at commit ``oid`` (write ``<ref>.lock`` then rename: atomic)."""
        git.Reference(self.repo, ref, check_path=False).set_object(oid)

    def delete_ref(self, ref: str) -> None:
        git.Reference.delete(self.repo, ref)

    def refs(self) -> dict[str, str]:
        """Every ref name -> commit sha."""
        result = {}
        for ref in git.Reference.iter_items(self.repo, common_path="refs"):
            oid = self.ref_target(ref.path)
            if oid:
                result[ref.path] = oid
        return result

    def resolve(self, revision: str) -> str | None:
        """A branch, tag, ``refs/...`` name or full commit sha -> commit sha (None if unknown)."""
        if COMMIT_SHA.fullmatch(revision):
            return revision if self.has_commit(revision) else None
        if revision.startswith("refs/"):
            return self.ref_target(revision)
        return self.ref_target(f"refs/heads/{revision}") or self.ref_target(f"refs/tags/{revision}")

    # reading --------------------------------------------------------------------------------

    def commit(self, oid: str) -> git.Commit:
        return git.Commit(self.repo, hex_to_bin(oid))

    def root_tree(self, oid: str) -> bytes:
        return self.commit(oid).tree.binsha

    def entry(self, oid: str, path: str) -> Entry | None:
        """The file or folder at ``path`` ('' = root) in commit ``oid``."""
        sha, mode = self.root_tree(oid), DIR_MODE
        for name in [p for p in path.split("/") if p]:
            if mode != DIR_MODE:
                return None
            found = next(((s, m) for s, m, n in self.tree_entries(sha) if n == name), None)
            if found is None:
                return None
            sha, mode = found
        is_dir = mode == DIR_MODE
        return Entry(path, is_dir, bin_to_hex(sha).decode(), 0 if is_dir else self.blob_size(sha))

    def list_dir(self, oid: str, path: str, recursive: bool) -> Iterator[Entry]:
        """Entries under folder ``path`` of commit ``oid`` (folders before their content)."""
        top = self.entry(oid, path)
        if top is None or not top.is_dir:
            raise entry_not_found(path or "/", oid)
        yield from self._walk(hex_to_bin(top.oid), path, recursive)

    def _walk(self, tree: bytes, prefix: str, recursive: bool) -> Iterator[Entry]:
        for sha, mode, name in self.tree_entries(tree):
            path = f"{prefix}/{name}" if prefix else name
            if mode == DIR_MODE:
                yield Entry(path, True, bin_to_hex(sha).decode())
                if recursive:
                    yield from self._walk(sha, path, True)
            else:
                yield Entry(path, False, bin_to_hex(sha).decode(), self.blob_size(sha))

    def files(self, oid: str) -> dict[str, tuple[int, bytes]]:
        """Every file of commit ``oid``: path -> (mode, blob binsha)."""
        result: dict[str, tuple[int, bytes]] = {}

        def walk(tree: bytes, prefix: str) -> None:
            for sha, mode, name in self.tree_entries(tree):
                path = f"{prefix}{name}"
                if mode == DIR_MODE:
                    walk(sha, path + "/")
                else:
                    result[path] = (mode, sha)

        walk(self.root_tree(oid), "")
        return result

    def read(self, oid: str, path: str) -> bytes | None:
        entry = self.entry(oid, path)
        if entry is None or entry.is_dir:
            return None
        return self.read_blob(entry.oid)

    def read_blob(self, oid: str) -> bytes:
        """A blob's whole content."""
        with self.open_blob(oid) as stream:
            return stream.read()

    def history(self, oid: str) -> list[CommitRecord]:
        """Every commit reachable from ``oid``, newest first, never a parent before its child."""
        records: dict[str, CommitRecord] = {}
        stack = [oid]
        while stack:
            current = stack.pop()
            if current in records:
                continue
            commit = self.commit(current)
            message = commit.message if isinstance(commit.message, str) else commit.message.decode()
            title, _, body = message.partition("\n")
            parents = tuple(p.hexsha for p in commit.parents)
            records[current] = CommitRecord(current, title, body.strip("\n"), commit.author.name or "",
                                            commit.committed_date, parents)
            stack.extend(parents)
        children = dict.fromkeys(records, 0)
        for record in records.values():
            for parent in record.parents:
                children[parent] += 1
        order = {sha: index for index, sha in enumerate(records)}
        ready = [(-records[oid].timestamp, order[oid], oid)]
        result = []
        while ready:
            _, _, current = heapq.heappop(ready)
            result.append(records[current])
            for parent in records[current].parents:
                children[parent] -= 1
                if children[parent] == 0:
                    heapq.heappush(ready, (-records[parent].timestamp, order[parent], parent))
        return result

    def merge_base(self, a: str, b: str) -> str | None:
        ancestors = {r.oid for r in self.history(a)}
        return next((r.oid for r in self.history(b) if r.oid in ancestors), None)

    # writing --------------------------------------------------------------------------------

    def apply(self, head: str | None, operations: list[Operation]) -> bytes | None:
        """Apply operations to the tree of ``head``; write and return the new root tree sha."""
        root = _Dir(self, self.root_tree(head) if head else None)
        for op in operations:
            parts = op.path.split("/") if op.path else []
            if op.kind == "add":
                parent = root.walk(parts[:-1], True, op.path)
                assert parent is not None
                existing = parent.entries.get(parts[-1])
                if isinstance(existing, _Dir) or (isinstance(existing, tuple) and existing[0] == DIR_MODE):
                    raise bad_request(f"Cannot write file {op.path!r}: a folder with this name exists.")
                assert op.blob is not None
                parent.entries[parts[-1]] = (FILE_MODE, op.blob)
                parent.dirty = True
                continue
            parent = root.walk(parts[:-1], False, op.path)
            existing = parent.entries.get(parts[-1]) if parent is not None and parts else None
            is_dir = isinstance(existing, _Dir) or (isinstance(existing, tuple) and existing[0] == DIR_MODE)
            if op.kind == "delete_folder" and not parts:
                root.entries.clear()
                root.dirty = True
            elif parent is None or existing is None or (op.kind == "delete_file" and is_dir) \
                    or (op.kind == "delete_folder" and not is_dir):
                kind = "file" if op.kind == "delete_file" else "folder"
                raise HubHTTPError(404, f"A {kind} with this name doesn't exist: {op.path}", "EntryNotFound")
            else:
                del parent.entries[parts[-1]]
                parent.dirty = True
        return root.write()
