"""One collect: read the benchmark and the Hub, verify, flag, rank, and publish in one commit.

Publishing is optimistic: everything is computed from the dataset repo at head commit H and
committed with ``parent_commit=H``. If another collector (or a maintainer's decision) committed
first, the Hub refuses the commit; the collector then starts again from the new head, whose
state and log already hold the other collector's work, so nothing is lost or overwritten.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from huggingface_hub import CommitOperationAdd, HfApi
from huggingface_hub.errors import (
    EntryNotFoundError,
    HfHubHTTPError,
    LocalTokenNotFoundError,
    RepositoryNotFoundError,
)

from ffasr_eval.collect._anomalies import ModelFacts, flag_results
from ffasr_eval.collect._benchmark import read_benchmark
from ffasr_eval.collect._discover import Discovery, discover, leaderboard_hints
from ffasr_eval.collect._leaderboard import Leaderboard, build_leaderboard
from ffasr_eval.collect._log import (
    LOG_PATH,
    append_events,
    decision_event,
    decisions,
    new_events,
    parse_log,
)
from ffasr_eval.collect._plot import render_pareto
from ffasr_eval.collect._render import (
    render_section,
    to_json,
    to_parquet,
    update_readme,
)
from ffasr_eval.collect._state import STATE_PATH, CheckedResult, CollectState
from ffasr_eval.errors import CollectError

JSON_PATH = "leaderboard/leaderboard.json"
PARQUET_PATH = "leaderboard/leaderboard.parquet"
PLOT_PATH = "leaderboard/pareto.png"
README_PATH = "README.md"
#: Publishing attempts before giving up when other collectors keep committing first.
MAX_ATTEMPTS = 6
_CONFLICT_STATUSES = (409, 412)


@dataclass(frozen=True)
class ModerationRequest:
    """A maintainer's decision to record with the next publish."""

    result_id: str
    action: Literal["approve", "reject"]
    reason: str


@dataclass
class CollectReport:
    """What a collect found and did.

    Attributes:
        leaderboard: The computed leaderboard.
        commit: Commit that published it (None for a dry run, or when nothing changed).
        attempts: Publishing attempts (more than 1 when another collector committed first).
        events: Events appended to the submissions log.
        read: Model repos read in this collect (new or changed heads).
        errors: Model repo -> why it could not be read.
        files: Published path -> content.
    """

    leaderboard: Leaderboard
    commit: str | None
    attempts: int
    events: list[dict]
    read: list[str]
    errors: dict[str, str]
    files: dict[str, bytes] = field(repr=False)


def collect(
    benchmark: str,
    *,
    endpoint: str | None = None,
    token: str | None = None,
    dry_run: bool = False,
    out: str | Path | None = None,
    moderation: Sequence[ModerationRequest] = (),
    progress: bool = False,
) -> CollectReport:
    """Gather every result for a benchmark, verify and flag them, and publish the leaderboard.

    Args:
        benchmark: Hub dataset id of the benchmark.
        endpoint: Hub address (default: ``HF_ENDPOINT``).
        token: Hub token (default: ``HF_TOKEN``); publishing needs write access to the dataset.
        dry_run: Compute and return everything, publish nothing.
        out: Also write the published files into this folder.
        moderation: Decisions to record in the submissions log with this publish.
        progress: Show a progress bar while reading model repos.

    Raises:
        CollectError: If the benchmark cannot be read, a moderated id is unknown or invalid,
            or the leaderboard cannot be published.

    Example:
        >>> report = collect("ffasr/far-field-bench")
        >>> report.leaderboard.main_table()[0].model
        'alice/asr-large'
    """
    api = HfApi(endpoint=endpoint, token=token)
    who = _who(api)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        plan = _plan(api, benchmark, who=who, moderation=moderation, progress=progress,
                     render_all=dry_run or out is not None)
        if out is not None:
            _write(Path(out), plan.files)
        if dry_run or not plan.changed:
            return plan.report(commit=None, attempts=attempt)
        operations = [CommitOperationAdd(path, content) for path, content in plan.files.items()]
        summary = f"Leaderboard: {len(plan.board.main_table())} ranked, {len(plan.events)} new log events"
        try:
            commit = api.create_commit(
                benchmark, operations, commit_message=summary, repo_type="dataset", parent_commit=plan.head,
                commit_description=_describe(plan.events),
            )
        except HfHubHTTPError as exc:
            if exc.response is None or exc.response.status_code not in _CONFLICT_STATUSES:
                raise CollectError(f"cannot publish the leaderboard to {benchmark}: {exc}") from exc
            time.sleep(random.uniform(0.05, 0.3) * attempt)  # another collector won: re-read its work and retry
            continue
        return plan.report(commit=commit.oid, attempts=attempt)
    raise CollectError(
        f"{benchmark} kept changing while publishing ({MAX_ATTEMPTS} attempts): other collectors are running; retry later"
    )


@dataclass
class _Plan:
    head: str
    board: Leaderboard
    events: list[dict]
    discovery: Discovery
    files: dict[str, bytes]
    changed: bool

    def report(self, *, commit: str | None, attempts: int) -> CollectReport:
        return CollectReport(self.board, commit, attempts, self.events, self.discovery.read, self.discovery.errors, self.files)


def _plan(
    api: HfApi, benchmark_id: str, *, who: str, moderation: Sequence[ModerationRequest], progress: bool, render_all: bool
) -> _Plan:
    try:
        head = api.dataset_info(benchmark_id).sha
    except RepositoryNotFoundError as exc:
        raise CollectError(f"benchmark dataset {benchmark_id} not found on {api.endpoint}") from exc
    if head is None:
        raise CollectError(f"the Hub did not report the head commit of {benchmark_id}")
    with ThreadPoolExecutor(1) as pool:  # the Hub computes its leaderboard while we read ours
        hints = pool.submit(leaderboard_hints, api, benchmark_id)
        benchmark = read_benchmark(api, benchmark_id, head)
        current = {path: _read(api, benchmark_id, path, head) for path in (STATE_PATH, LOG_PATH, JSON_PATH, README_PATH)}
        state = CollectState.from_json(current[STATE_PATH] or "{}", benchmark=benchmark_id, trust=benchmark.fingerprint)
        found = discover(api, benchmark, state.repos, hints=hints, progress=progress)
    state = CollectState(benchmark=benchmark_id, trust=benchmark.fingerprint, repos=found.repos)
    checked = state.results()
    facts = {repo: ModelFacts(s.parameters, tuple(s.base_models)) for repo, s in found.repos.items()}
    valid = [c for c in checked if c.status != "invalid"]
    flags = flag_results(valid, facts, benchmark)

    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    log = parse_log(current[LOG_PATH])
    decided = [decision_event(m.result_id, m.action, m.reason, by=who, at=now) for m in moderation]
    _check_moderation(moderation, checked)
    board = build_leaderboard(checked, flags, facts, decisions(log + decided), benchmark, endpoint=api.endpoint)
    open_prs = {repo: set(s.prs) for repo, s in found.repos.items()}
    events = decided + new_events(log + decided, board, open_prs=open_prs, at=now, collector=who)

    texts = {
        STATE_PATH: state.to_json(),
        JSON_PATH: to_json(board),
        README_PATH: update_readme(current[README_PATH], render_section(board, endpoint=api.endpoint)),
        LOG_PATH: append_events(current[LOG_PATH], events),
    }
    changed = bool(events) or any(texts[path] != current[path] for path in texts)
    files = {path: text.encode("utf-8") for path, text in texts.items()}
    if changed or render_all:  # the table and plot follow from leaderboard.json: unchanged json, unchanged files
        files[PARQUET_PATH] = to_parquet(board)
        files[PLOT_PATH] = render_pareto(board)
    return _Plan(head, board, events, found, files, changed)


def _check_moderation(moderation: Sequence[ModerationRequest], checked: Sequence[CheckedResult]) -> None:
    by_id = {c.id: c for c in checked}
    for request in moderation:
        result = by_id.get(request.result_id)
        if result is None:
            known = ", ".join(sorted(by_id)[:5])
            raise CollectError(
                f"no result with id {request.result_id} on the Hub (known ids start with: {known} ...); "
                "list them with `ffasr-eval collect --dry-run`"
            )
        if result.status == "invalid":
            raise CollectError(
                f"result {request.result_id} is invalid and cannot be {request.action}d: {result.reason}"
            )


def _read(api: HfApi, repo_id: str, path: str, revision: str) -> str:
    try:
        return Path(api.hf_hub_download(repo_id, path, repo_type="dataset", revision=revision)).read_text(encoding="utf-8")
    except EntryNotFoundError:
        return ""
    except HfHubHTTPError as exc:
        raise CollectError(f"cannot read {path} from {repo_id}: {exc}") from exc


def _who(api: HfApi) -> str:
    try:
        return api.whoami()["name"]
    except (LocalTokenNotFoundError, HfHubHTTPError):
        return "anonymous"


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for path, content in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def _describe(events: list[dict]) -> str:
    counts: dict[str, int] = {}
    for event in events:
        counts[event["event"]] = counts.get(event["event"], 0) + 1
    return "Submissions log: " + (", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "no new events")


def moderate(
    benchmark: str,
    result_id: str,
    action: Literal["approve", "reject"],
    *,
    reason: str,
    endpoint: str | None = None,
    token: str | None = None,
) -> CollectReport:
    """Record a maintainer's decision on a result and republish the leaderboard with it.

    The decision is appended to the submissions log in the same commit as the updated
    leaderboard: an approved flagged result enters the main table, a rejected one leaves it.

    Args:
        benchmark: Hub dataset id of the benchmark.
        result_id: The result's id (as printed by `ffasr-eval collect`).
        action: ``approve`` or ``reject``.
        reason: Why; kept in the log next to who decided and when.
        endpoint: Hub address (default: ``HF_ENDPOINT``).
        token: Hub token with write access to the benchmark dataset.

    Raises:
        CollectError: If the id is unknown or invalid, the reason is empty, or publishing fails.

    Example:
        >>> moderate("ffasr/far-field-bench", "r-3f2a9c0d1b2e", "reject", reason="test audio in training data")
    """
    if action not in ("approve", "reject"):
        raise CollectError(f"moderation action must be 'approve' or 'reject', got {action!r}")
    if not reason.strip():
        raise CollectError("a moderation decision needs a reason (--reason TEXT): it is kept in the submissions log")
    return collect(benchmark, endpoint=endpoint, token=token, moderation=[ModerationRequest(result_id, action, reason.strip())])
