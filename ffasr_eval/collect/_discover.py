"""Find the model repos holding results for a benchmark and read the ones that changed.

Candidates come from the Hub's dataset leaderboard (`get_dataset_leaderboard`, which lists
results on main and in open PRs) plus every repo the last collect knew; a Hub without that
endpoint falls back to listing all model repos. Head commits of main come in bulk, one
`list_models(author=..., expand=["sha"])` request per namespace; open PRs and their heads are
listed only for repos that have some. Model facts (card data, safetensors parameter count) are
read with the repo. A repo whose heads are those of the last collect is not read again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from huggingface_hub import HfApi, eval_result_entries_to_yaml
from huggingface_hub.errors import (
    EntryNotFoundError,
    HfHubHTTPError,
    NotASafetensorsRepoError,
    RepositoryNotFoundError,
    SafetensorsParsingError,
)
from huggingface_hub.hf_api import ModelInfo

from ffasr_eval.collect._benchmark import BenchmarkInfo
from ffasr_eval.collect._state import RepoState, ResultRecord, result_id
from ffasr_eval.collect._verify import check_result
from ffasr_eval.errors import CollectError, ResultsError
from ffasr_eval.results import RESULTS_DIR, parse_results, results_path

_WORKERS = 2
#: Repos (-> result file names) listed by the Hub's leaderboard (None: no such endpoint), and
#: the repos among them with results in open PRs.
Hints = tuple[dict[str, set[str]] | None, set[str]]


@dataclass(frozen=True)
class RepoHeads:
    """Head commits of a model repo: main and its open pull requests (number -> commit)."""

    main: str | None
    prs: dict[int, str] = field(default_factory=dict)
    pr_authors: dict[int, str] = field(default_factory=dict)


@dataclass
class Discovery:
    """What one pass over the Hub found.

    Attributes:
        repos: Repo -> its state after this pass (re-read or carried over).
        read: Repos that were read in this pass (their heads moved, or they are new).
        gone: Repos of the last state that no longer exist or are no longer listed.
        errors: Repo -> why it could not be read (the collect goes on without it).
    """

    repos: dict[str, RepoState]
    read: list[str]
    gone: list[str]
    errors: dict[str, str]


def discover(
    api: HfApi,
    benchmark: BenchmarkInfo,
    previous: dict[str, RepoState],
    *,
    hints: Future[Hints] | None = None,
    progress: bool = False,
) -> Discovery:
    """Find every model repo with results for a benchmark; read and verify those whose heads changed.

    Args:
        api: Hub client.
        benchmark: The benchmark (its id, trusted keys and published revisions).
        previous: Repo states of the last collect (from ``leaderboard/state.json``).
        hints: The Hub leaderboard's hints being fetched (`leaderboard_hints`), so the caller
            can overlap that request with its own work; fetched here if None.
        progress: Show a progress bar while reading repos.

    Raises:
        CollectError: If the Hub cannot list models at all.

    Example:
        >>> found = discover(HfApi(), read_benchmark(HfApi(), "ffasr/far-field-bench", "main"), {})
        >>> sorted(found.repos)[:1]
        ['alice/asr']
    """
    benchmark_id = benchmark.repo_id
    errors: dict[str, str] = {}
    with ThreadPoolExecutor(_WORKERS) as pool:
        # One request at a time per task: the Hub answers concurrent listings no faster than serial ones.
        known = sorted({r.split("/")[0] for r in previous})
        listing = pool.submit(_list_namespaces, api, known)
        listed_files, pr_hints = hints.result() if hints is not None else leaderboard_hints(api, benchmark_id)
        if listed_files is None:
            mains = _list_all(api)
            candidates = set(mains)
        else:
            candidates = set(listed_files) | set(previous)
            mains = listing.result() | _list_namespaces(api, sorted({r.split("/")[0] for r in candidates} - set(known)))

        def head(repo: str) -> tuple[str, RepoHeads | str]:
            try:
                return repo, _heads(api, repo, mains[repo])
            except HfHubHTTPError as exc:
                return repo, f"cannot list refs of {repo}: {exc}"

        present = sorted(candidates & set(mains))
        with_prs = [r for r in present if listed_files is None or r in pr_hints or previous.get(r, RepoState()).prs]
        heads = {repo: RepoHeads(main=mains[repo]) for repo in present}
        for repo, outcome in pool.map(head, with_prs):
            if isinstance(outcome, str):
                errors[repo] = outcome
                del heads[repo]
            else:
                heads[repo] = outcome
        changed = [
            repo for repo, found in heads.items()
            if repo not in previous or previous[repo].heads() != (found.main, found.prs)
        ]
        files = {repo: {results_path(benchmark_id)} | set((listed_files or {}).get(repo, ())) for repo in changed}

        def read(repo: str) -> tuple[str, RepoState | str]:
            try:
                return repo, _read_repo(api, repo, heads[repo], benchmark, sorted(files[repo]))
            except HfHubHTTPError as exc:
                return repo, f"cannot read {repo}: {exc}"

        repos = {repo: previous[repo] for repo in heads if repo not in changed and repo in previous}
        for repo, outcome in _progress(pool.map(read, changed), len(changed), progress):
            if isinstance(outcome, str):
                errors[repo] = outcome
            else:  # kept even without results, so that an unchanged repo is not read again
                repos[repo] = outcome
    for repo in errors:  # keep what we knew rather than dropping it on a transient error
        if repo in previous and repo not in repos:
            repos[repo] = previous[repo]
    gone = sorted(set(previous) - set(repos))
    return Discovery(repos=repos, read=sorted(changed), gone=gone, errors=errors)


def leaderboard_hints(api: HfApi, benchmark_id: str) -> Hints:
    """Repos (-> result file names) the Hub's leaderboard lists, and repos with open-PR results.

    Returns (None, set()) when the Hub does not offer the leaderboard endpoint.
    """
    try:
        entries = api.get_dataset_leaderboard(benchmark_id, base_model_only=False)
    except RepositoryNotFoundError as exc:
        raise CollectError(f"benchmark dataset {benchmark_id} not found on {api.endpoint}") from exc
    except HfHubHTTPError:
        return None, set()
    files: dict[str, set[str]] = {}
    with_prs = set()
    for entry in entries:
        files.setdefault(entry.model_id, set()).add(entry.filename)
        if entry.pull_request is not None:
            with_prs.add(entry.model_id)
    return files, with_prs


def _list_all(api: HfApi) -> dict[str, str | None]:
    try:
        return {info.id: info.sha for info in api.list_models(expand=["sha"])}
    except HfHubHTTPError as exc:
        raise CollectError(f"cannot list model repos on {api.endpoint}: {exc}") from exc


def _list_namespaces(api: HfApi, namespaces: list[str]) -> dict[str, str | None]:
    mains = {}
    for namespace in namespaces:
        try:
            mains.update({info.id: info.sha for info in api.list_models(author=namespace, expand=["sha"])})
        except HfHubHTTPError as exc:
            raise CollectError(f"cannot list the model repos of {namespace} on {api.endpoint}: {exc}") from exc
    return mains


def _heads(api: HfApi, repo: str, main: str | None) -> RepoHeads:
    discussions = api.get_repo_discussions(repo, discussion_type="pull_request", discussion_status="open")
    authors = {d.num: d.author for d in discussions if d.is_pull_request and d.status in ("open", "draft")}
    if not authors:
        return RepoHeads(main=main)
    refs = api.list_repo_refs(repo, include_pull_requests=True)
    prs = {}
    for ref in refs.pull_requests or []:
        number = int(ref.ref.rsplit("/", 1)[-1])
        if number in authors:
            prs[number] = ref.target_commit
    return RepoHeads(main=main, prs=dict(sorted(prs.items())), pr_authors={n: authors[n] for n in prs})


def _read_repo(api: HfApi, repo: str, heads: RepoHeads, benchmark: BenchmarkInfo, filenames: list[str]) -> RepoState:
    namespace = repo.split("/")[0]
    info = api.model_info(repo, revision=heads.main) if heads.main else None
    results: list[ResultRecord] = []
    history: set[str] = set()
    siblings = {s.rfilename for s in (info.siblings if info is not None else None) or []}
    refs = [("main", None, heads.main, namespace)] + [
        (f"refs/pr/{n}", n, sha, heads.pr_authors.get(n)) for n, sha in sorted(heads.prs.items())
    ]
    for ref, pr, commit, submitter in refs:
        if commit is None:
            continue
        found = False
        for filename in filenames:
            if ref == "main" and siblings and filename not in siblings:
                continue
            record = _read_file(api, repo, ref, pr, commit, submitter, filename, benchmark.repo_id)
            if record is not None:
                results.append(record)
                found = True
        if found:
            history.update(c.commit_id for c in api.list_repo_commits(repo, revision=commit))
    unique: dict[str, ResultRecord] = {}
    for record in results:  # main first: the same content in a PR is the same result
        unique.setdefault(record.id, record)
    return RepoState(
        main=heads.main,
        prs=dict(heads.prs),
        parameters=_parameters(api, repo, info, siblings) if unique and info is not None else None,
        base_models=_base_models(info) if info is not None else [],
        results=[check_result(record, benchmark, history) for record in unique.values()],
    )


def _read_file(
    api: HfApi, repo: str, ref: str, pr: int | None, commit: str, submitter: str | None, filename: str, benchmark_id: str
) -> ResultRecord | None:
    if not filename.startswith(f"{RESULTS_DIR}/"):
        return None
    try:
        local = Path(api.hf_hub_download(repo, filename, revision=commit))
    except EntryNotFoundError:
        return None
    common = {"model_repo": repo, "ref": ref, "pr": pr, "submitter": submitter, "commit": commit, "path": filename}
    try:
        entries = parse_results(local.read_text(encoding="utf-8"), source=f"{repo}@{ref}:{filename}")
    except (ResultsError, UnicodeDecodeError) as exc:
        error = "malformed result file: " + " ".join(str(exc).split())  # one line, for tables and logs
        return ResultRecord(id=result_id(repo, [{"error": error, "commit": commit, "path": filename}]), error=error, **common)
    mine = [e for e in entries if e.dataset_id == benchmark_id]
    if not mine:
        return None
    data = json.loads(json.dumps(eval_result_entries_to_yaml(mine), default=str))
    return ResultRecord(id=result_id(repo, data), entries=data, **common)


def _parameters(api: HfApi, repo: str, info: ModelInfo, siblings: set[str]) -> int | None:
    if info.safetensors is not None and info.safetensors.total:
        return int(info.safetensors.total)
    if not any(name.endswith((".safetensors", ".safetensors.index.json")) for name in siblings):
        return None
    try:
        metadata = api.get_safetensors_metadata(repo, revision=info.sha)
    except (NotASafetensorsRepoError, SafetensorsParsingError, HfHubHTTPError):
        return None
    return sum(metadata.parameter_count.values()) or None


def _base_models(info: ModelInfo) -> list[str]:
    card = info.card_data
    base = card.get("base_model") if card is not None else None
    if isinstance(base, str):
        return [base]
    if isinstance(base, list):
        return [b for b in base if isinstance(b, str)]
    return []


def _progress(items: Iterable, total: int, enabled: bool) -> Iterable:
    if not enabled or total == 0:
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, desc="reading model repos", unit="repo")
