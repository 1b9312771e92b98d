"""Metadata of the embedded Hub in SQLite: accounts, org members, tokens, repos, discussions, events.

Git holds the content; this database holds everything git cannot. One connection per process,
guarded by a lock (the server is one process; `LocalHub` may add users from the parent process,
which SQLite's file locking handles).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ffasr_eval.errors import HubServerError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (name TEXT PRIMARY KEY, kind TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS members (org TEXT NOT NULL, user TEXT NOT NULL, PRIMARY KEY (org, user));
CREATE TABLE IF NOT EXISTS tokens (digest TEXT PRIMARY KEY, user TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS repos (
    type TEXT NOT NULL, id TEXT NOT NULL, private INTEGER NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (type, id));
CREATE TABLE IF NOT EXISTS discussions (
    type TEXT NOT NULL, repo TEXT NOT NULL, num INTEGER NOT NULL, title TEXT NOT NULL, status TEXT NOT NULL,
    author TEXT NOT NULL, is_pr INTEGER NOT NULL, created_at TEXT NOT NULL, base TEXT, merge_commit TEXT,
    PRIMARY KEY (type, repo, num));
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, repo TEXT NOT NULL, num INTEGER NOT NULL, kind TEXT NOT NULL,
    author TEXT, created_at TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_discussion ON events (type, repo, num);
"""


def now_iso() -> str:
    """The current time in the Hub's ISO-8601 format (milliseconds, ``Z``)."""
    return iso(datetime.now(UTC))


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class RepoRow:
    type: str
    id: str
    private: bool
    created_at: str


@dataclass(frozen=True)
class DiscussionRow:
    type: str
    repo: str
    num: int
    title: str
    status: str
    author: str
    is_pr: bool
    created_at: str
    base: str | None
    merge_commit: str | None


@dataclass(frozen=True)
class EventRow:
    id: str
    kind: str
    author: str | None
    created_at: str
    data: dict[str, Any]


class MetaDB:
    """The SQLite metadata store of one Hub data directory."""

    def __init__(self, path: Path) -> None:
        try:
            self._conn = sqlite3.connect(path, check_same_thread=False, timeout=30, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)
        except sqlite3.Error as error:
            raise HubServerError(f"Cannot open the Hub metadata database {path}: {error}") from error
        self._lock = threading.RLock()

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run statements atomically (``BEGIN IMMEDIATE`` ... ``COMMIT``)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _all(self, sql: str, *args: Any) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    # accounts -------------------------------------------------------------------------------

    def account_kind(self, name: str) -> str | None:
        rows = self._all("SELECT kind FROM accounts WHERE lower(name) = lower(?)", name)
        return rows[0][0] if rows else None

    def add_account(self, name: str, kind: str) -> None:
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM accounts WHERE lower(name) = lower(?)", (name,)).fetchone():
                raise HubServerError(f"The name {name!r} is already taken by a user or an organization.")
            conn.execute("INSERT INTO accounts VALUES (?, ?, ?)", (name, kind, now_iso()))

    def add_member(self, org: str, user: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO members VALUES (?, ?)", (org, user))

    def orgs_of(self, user: str) -> list[str]:
        return [r[0] for r in self._all("SELECT org FROM members WHERE user = ? ORDER BY org", user)]

    def add_token(self, user: str) -> str:
        token = "hf_" + secrets.token_urlsafe(30)
        with self.transaction() as conn:
            conn.execute("INSERT INTO tokens VALUES (?, ?, ?)", (_digest(token), user, now_iso()))
        return token

    def user_of_token(self, token: str) -> str | None:
        rows = self._all("SELECT user FROM tokens WHERE digest = ?", _digest(token))
        return rows[0][0] if rows else None

    # repos ----------------------------------------------------------------------------------

    def get_repo(self, repo_type: str, repo_id: str) -> RepoRow | None:
        rows = self._all("SELECT * FROM repos WHERE type = ? AND lower(id) = lower(?)", repo_type, repo_id)
        return RepoRow(rows[0][0], rows[0][1], bool(rows[0][2]), rows[0][3]) if rows else None

    def add_repo(self, repo_type: str, repo_id: str, private: bool) -> bool:
        """Insert a repo row; False if it already exists."""
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM repos WHERE type = ? AND lower(id) = lower(?)",
                            (repo_type, repo_id)).fetchone():
                return False
            conn.execute("INSERT INTO repos VALUES (?, ?, ?, ?)", (repo_type, repo_id, int(private), now_iso()))
        return True

    def set_private(self, repo_type: str, repo_id: str, private: bool) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE repos SET private = ? WHERE type = ? AND id = ?", (int(private), repo_type, repo_id))

    def delete_repo(self, repo_type: str, repo_id: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM repos WHERE type = ? AND id = ?", (repo_type, repo_id))
            for table in ("discussions", "events"):
                conn.execute(f"DELETE FROM {table} WHERE type = ? AND repo = ?", (repo_type, repo_id))

    def list_repos(self, repo_type: str) -> list[RepoRow]:
        rows = self._all("SELECT * FROM repos WHERE type = ? ORDER BY created_at, id", repo_type)
        return [RepoRow(r[0], r[1], bool(r[2]), r[3]) for r in rows]

    # discussions ----------------------------------------------------------------------------

    def next_discussion_num(self, repo_type: str, repo_id: str) -> int:
        """The number the next discussion or pull request of a repo gets (one counter for both)."""
        (last,) = self._all("SELECT coalesce(max(num), 0) FROM discussions WHERE type = ? AND repo = ?",
                            repo_type, repo_id)[0]
        return last + 1

    def add_discussion(self, repo_type: str, repo_id: str, num: int, *, title: str, author: str, is_pr: bool,
                       base: str | None, description: str, status: str) -> None:
        """Create discussion ``num`` and its first comment (the description)."""
        with self.transaction() as conn:
            conn.execute("INSERT INTO discussions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                         (repo_type, repo_id, num, title, status, author, int(is_pr), now_iso(), base))
            self._insert_event(conn, repo_type, repo_id, num, "comment", author, _comment_data(description))

    def get_discussion(self, repo_type: str, repo_id: str, num: int) -> DiscussionRow | None:
        rows = self._all("SELECT * FROM discussions WHERE type = ? AND repo = ? AND num = ?", repo_type, repo_id, num)
        return DiscussionRow(*rows[0][:6], bool(rows[0][6]), *rows[0][7:]) if rows else None

    def list_discussions(self, repo_type: str, repo_id: str) -> list[DiscussionRow]:
        rows = self._all("SELECT * FROM discussions WHERE type = ? AND repo = ? ORDER BY num DESC", repo_type, repo_id)
        return [DiscussionRow(*r[:6], bool(r[6]), *r[7:]) for r in rows]

    def update_discussion(self, repo_type: str, repo_id: str, num: int, event_kind: str, author: str,
                          data: dict[str, Any], **fields: Any) -> EventRow:
        """Change discussion fields and record the event that says so, atomically."""
        with self.transaction() as conn:
            for name, value in fields.items():
                conn.execute(f"UPDATE discussions SET {name} = ? WHERE type = ? AND repo = ? AND num = ?",
                             (value, repo_type, repo_id, num))
            return self._insert_event(conn, repo_type, repo_id, num, event_kind, author, data)

    def add_comment(self, repo_type: str, repo_id: str, num: int, author: str, text: str) -> EventRow:
        return self.update_discussion(repo_type, repo_id, num, "comment", author, _comment_data(text))

    def events(self, repo_type: str, repo_id: str, num: int) -> list[EventRow]:
        rows = self._all("SELECT id, kind, author, created_at, data FROM events WHERE type = ? AND repo = ? AND num = ?"
                         " ORDER BY rowid", repo_type, repo_id, num)
        return [EventRow(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]

    @staticmethod
    def _insert_event(conn: sqlite3.Connection, repo_type: str, repo_id: str, num: int, kind: str,
                      author: str | None, data: dict[str, Any]) -> EventRow:
        event = EventRow(secrets.token_hex(12), kind, author, now_iso(), data)
        conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (event.id, repo_type, repo_id, num, kind, author, event.created_at, json.dumps(data)))
        return event


def _comment_data(text: str) -> dict[str, Any]:
    return {"edited": False, "hidden": False, "latest": {"raw": text, "html": text}}
