"""What the collector has read from the Hub, kept in the dataset repo as ``leaderboard/state.json``.

The state caches, per model repo, the head commits it was read at and its result files as
verified then. A later collect reads (and verifies) a repo again only when one of its heads
moved, so a re-collect costs a few listing requests plus the repos that changed. What depends
on all results together (flags, ranking) is recomputed on every collect; what verification
depends on (eval.yaml, the trusted keys) is fingerprinted, and a change drops the cache.
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ffasr_eval.errors import CollectError

#: Path of the state file in the benchmark dataset repo.
STATE_PATH = "leaderboard/state.json"
STATE_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ResultRecord(_Model):
    """Where one result file for the benchmark was read: a ref of a model repo.

    Attributes:
        id: Stable result id: hash of the model repo and the file's entries for this benchmark,
            so a PR that gets merged keeps its id (and its moderation decision).
        model_repo: Model repo the file lives in.
        ref: ``main`` or ``refs/pr/<n>``.
        pr: Pull request number (None on main).
        submitter: PR author, or the repo's namespace for main.
        commit: Head commit of `ref` the file was read at.
        path: Path of the file in the repo.
        entries: The file's entries for this benchmark in the Hub's JSON form, as read (not kept
            in the state: once verified, a result is cached as a `CheckedResult`).
        error: Why the file could not be used (malformed), else None.
    """

    id: str
    model_repo: str
    ref: str
    pr: int | None = None
    submitter: str | None = None
    commit: str
    path: str
    entries: list[dict] = Field(default_factory=list, exclude=True)
    error: str | None = None

    @property
    def source_url_path(self) -> str:
        """The file's path relative to the Hub web root (``<repo>/blob/<ref>/<path>``)."""
        ref = self.ref.replace("/", "%2F")
        return f"{self.model_repo}/blob/{ref}/{self.path}"


class Hardware(_Model):
    """The signed hardware a result was timed on."""

    profile: str | None = None
    cores: int = 1
    gpu: str | None = None


class CheckedResult(_Model):
    """A result file after verification: what the leaderboard needs, cached in the state.

    Attributes:
        record: Where the file was read.
        status: verified, signed, unsigned or invalid (the least trusted entry's status).
        reason: Why (for invalid results, every problem, naming the tasks).
        values: Task id -> value in percent (`average` included when present).
        rtfx: Overall RTFx (signed value; for unsigned results the one stated in the notes).
        task_rtfx: Task id -> signed per-task RTFx (empty for unsigned results).
        ci95: Task id -> signed bootstrap 95 % interval in percent (empty for unsigned results).
        rtfx_comparable: RTFx was timed on the benchmark's hardware profile (signed claim).
        hardware: The signed hardware (None for unsigned results).
        evaluator: Who signed (the token's `iss`), None for unsigned results.
        model_revision: The signed model commit (None for unsigned results).
        dataset_revision: Benchmark commit the result was measured on.
        date: When the run was made.
        source_url: The entries' `source.url` (the eval log), if any.
    """

    record: ResultRecord
    status: Literal["verified", "signed", "unsigned", "invalid"]
    reason: str
    values: dict[str, float] = Field(default_factory=dict)
    rtfx: float | None = None
    task_rtfx: dict[str, float] = Field(default_factory=dict)
    ci95: dict[str, tuple[float, float]] = Field(default_factory=dict)
    rtfx_comparable: bool = False
    hardware: Hardware | None = None
    evaluator: str | None = None
    model_revision: str | None = None
    dataset_revision: str | None = None
    date: str | None = None
    source_url: str | None = None

    @property
    def id(self) -> str:
        """The result id."""
        return self.record.id

    @property
    def model_repo(self) -> str:
        """The model repo the result is for."""
        return self.record.model_repo

    @property
    def average(self) -> float | None:
        """The `average` value, if the result has one."""
        return self.values.get("average")


class RepoState(_Model):
    """A model repo as last read: head commits, model facts and its verified result files."""

    main: str | None = None
    prs: dict[int, str] = Field(default_factory=dict, description="Open PR number -> head commit.")
    parameters: int | None = None
    base_models: list[str] = Field(default_factory=list)
    results: list[CheckedResult] = Field(default_factory=list)

    def heads(self) -> tuple[str | None, dict[int, str]]:
        """The head commits this state was read at."""
        return self.main, self.prs


class _Header(BaseModel):
    """The fields of a state file that decide whether its cache can be used."""

    version: int | None = None
    benchmark: str | None = None
    trust: str | None = None


class CollectState(_Model):
    """The collector's cache for one benchmark.

    `trust` fingerprints what verification depended on (eval.yaml and the trusted keys): when
    either changes, the cache is dropped and every repo is read and verified again.
    """

    version: int = STATE_VERSION
    benchmark: str
    trust: str = ""
    repos: dict[str, RepoState] = Field(default_factory=dict)

    def results(self) -> list[CheckedResult]:
        """Every cached result, repos in sorted order."""
        return [result for name in sorted(self.repos) for result in self.repos[name].results]

    def to_json(self) -> str:
        """The state as ``state.json`` text (repos sorted, so an unchanged state gives identical bytes)."""
        return self.model_copy(update={"repos": dict(sorted(self.repos.items()))}).model_dump_json() + "\n"

    @classmethod
    def from_json(cls, text: str, *, benchmark: str, trust: str) -> CollectState:
        """Parse ``state.json``; a state for another benchmark or version starts afresh, one for
        other trust settings keeps only the repo names (every repo is read and verified again).

        Raises:
            CollectError: If the file is not a valid state (the message names it).
        """
        try:
            header = _Header.model_validate_json(text)
        except ValidationError as exc:
            raise CollectError(f"{STATE_PATH} in {benchmark} is not JSON ({exc}); delete it to rebuild the cache") from exc
        if (header.version, header.benchmark) != (STATE_VERSION, benchmark):
            return cls(benchmark=benchmark, trust=trust)
        try:
            state = cls.model_validate_json(text)
        except ValidationError as exc:
            raise CollectError(f"{STATE_PATH} in {benchmark} is not a valid collector state: {exc}") from exc
        if state.trust != trust:  # keep which repos to look at, forget what they held: all are read again
            return cls(benchmark=benchmark, trust=trust, repos={name: RepoState() for name in state.repos})
        return state


def result_id(model_repo: str, entries: list[dict]) -> str:
    """Stable id of a result: the same entries in the same repo always get the same id.

    Example:
        >>> result_id("alice/asr", [{"dataset": {"id": "o/b", "task_id": "average"}, "value": 9.1}])
        'r-...'
    """
    body = json.dumps([model_repo, entries], sort_keys=True, separators=(",", ":"))
    return "r-" + hashlib.sha256(body.encode()).hexdigest()[:12]
