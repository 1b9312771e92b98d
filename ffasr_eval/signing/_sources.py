"""Where verification gets its inputs: a benchmark's trust settings and a model's result files.

A benchmark (local folder or Hub dataset repo) supplies its hardware profile and averaged tasks
(``eval.yaml``, `ffasr` block) and its trusted keys (the file named by `ffasr.trusted_keys`,
``evaluators.yaml`` by default). Result files come from a local path or a Hub model repo.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from huggingface_hub import EvalResultEntry, HfApi
from huggingface_hub.errors import EntryNotFoundError, HfHubHTTPError, RepositoryNotFoundError, RevisionNotFoundError

from ffasr_eval.errors import VerificationError
from ffasr_eval.results import RESULTS_DIR, file_sha256, load_results, parse_results
from ffasr_eval.signing._evaluators import EvaluatorRegistry
from ffasr_eval.signing._verify import EntryVerdict, verify_entries
from ffasr_eval.spec import load_spec


@dataclass(frozen=True)
class BenchmarkTrust:
    """What a benchmark says about trust: its keys, hardware profile and averaged tasks."""

    evaluators: EvaluatorRegistry = field(default_factory=EvaluatorRegistry)
    profile: str | None = None
    average_tasks: list[str] | None = None


def load_benchmark_trust(
    benchmark: str | Path,
    *,
    evaluators: str | Path | None = None,
    endpoint: str | None = None,
    token: str | None = None,
) -> BenchmarkTrust:
    """Read a benchmark's trust settings from a local folder or a Hub dataset repo.

    Args:
        benchmark: Benchmark folder (with ``eval.yaml``) or Hub dataset id.
        evaluators: Registry file overriding the benchmark's own.
        endpoint: Hub address (default: ``HF_ENDPOINT``).
        token: Hub token.

    Raises:
        VerificationError: If the benchmark or its registry cannot be read.

    Example:
        >>> trust = load_benchmark_trust("ffasr/far-field-bench")
        >>> trust.profile
        'cpu-2c'
    """
    api = HfApi(endpoint=endpoint, token=token)
    spec = load_spec(_benchmark_file(api, benchmark, "eval.yaml"))
    registry = EvaluatorRegistry.load(evaluators or _benchmark_file(api, benchmark, spec.ffasr.trusted_keys))
    return BenchmarkTrust(
        evaluators=registry,
        profile=spec.ffasr.hardware.profile,
        average_tasks=list(spec.ffasr.average) or None,
    )


def verify_path(path: str | Path, *, model_repo: str | None = None, trust: BenchmarkTrust | None = None) -> dict[str, list[EntryVerdict]]:
    """Verify local result files: one ``.yaml`` file, an ``.eval_results`` folder or a model folder.

    When the files sit in a model folder's ``.eval_results/``, the eval logs their tokens name
    must be in that folder with the signed SHA-256.

    Args:
        path: The file or folder.
        model_repo: The Hub repo the files belong to (None: the model binding is not checked).
        trust: The benchmark's trust settings (None: no key is trusted).

    Returns:
        Verdicts per file.

    Raises:
        ResultsError: If a file is not a valid result file.
        VerificationError: If the path holds no result file.
    """
    path = Path(path)
    if path.is_dir():
        folder = path / RESULTS_DIR if (path / RESULTS_DIR).is_dir() else path
        files = sorted(folder.glob("*.yaml"))
    else:
        files = [path]
    if not files or not files[0].exists():
        raise VerificationError(f"no result file at {path} (expected a .yaml file or a folder holding {RESULTS_DIR}/*.yaml)")
    root = files[0].parent.parent if files[0].parent.name == RESULTS_DIR else None

    def fetch(name: str) -> Path | None:
        return root / name if root is not None and (root / name).is_file() else None

    return {str(f): _verify(load_results(f), model_repo, None, trust, fetch if root else None) for f in files}


def verify_repo(
    model_repo: str,
    *,
    revision: str | None = None,
    trust: BenchmarkTrust | None = None,
    endpoint: str | None = None,
    token: str | None = None,
) -> dict[str, list[EntryVerdict]]:
    """Verify every ``.eval_results/*.yaml`` file of a Hub model repo at `revision` (default main).

    The token's model revision must be a commit in the history of `revision`, and the eval logs
    the token names must be in the repo at `revision` with the signed SHA-256.

    Raises:
        VerificationError: If the repo or revision does not exist or has no result file.
        ResultsError: If a file is not a valid result file.
    """
    api = HfApi(endpoint=endpoint, token=token)
    try:
        files = [f for f in api.list_repo_files(model_repo, revision=revision) if f.startswith(f"{RESULTS_DIR}/") and f.endswith(".yaml")]
        history = {c.commit_id for c in api.list_repo_commits(model_repo, revision=revision)}
    except (RepositoryNotFoundError, RevisionNotFoundError) as exc:
        raise VerificationError(f"model repo {model_repo}@{revision or 'main'} not found on {api.endpoint}") from exc
    if not files:
        raise VerificationError(f"{model_repo}@{revision or 'main'} has no {RESULTS_DIR}/*.yaml file")

    def fetch(name: str) -> Path | None:
        try:
            return _download(api, model_repo, name, revision=revision)
        except VerificationError:
            return None

    verdicts = {}
    for name in sorted(files):
        local = _download(api, model_repo, name, revision=revision)
        entries = parse_results(local.read_text(encoding="utf-8"), source=f"{model_repo}:{name}")
        verdicts[name] = _verify(entries, model_repo, history, trust, fetch)
    return verdicts


def _verify(
    entries: list[EvalResultEntry],
    model_repo: str | None,
    revisions: set[str] | None,
    trust: BenchmarkTrust | None,
    fetch: Callable[[str], Path | None] | None,
) -> list[EntryVerdict]:
    trust = trust or BenchmarkTrust()
    verdicts = verify_entries(
        entries,
        model_repo=model_repo,
        evaluators=trust.evaluators,
        benchmark_profile=trust.profile,
        model_revisions=revisions,
        average_tasks=trust.average_tasks,
    )
    return _check_logs(verdicts, fetch) if fetch is not None else verdicts


def _check_logs(verdicts: list[EntryVerdict], fetch: Callable[[str], Path | None]) -> list[EntryVerdict]:
    """Entries whose signed eval logs are missing or changed become invalid."""
    problems: dict[str, str | None] = {}
    checked = []
    for verdict in verdicts:
        token = verdict.entry.verify_token
        if verdict.payload is None or verdict.status == "invalid" or token is None:
            checked.append(verdict)
            continue
        if token not in problems:
            problems[token] = _log_problem(verdict.payload.eval_logs, fetch)
        problem = problems[token]
        checked.append(dataclasses.replace(verdict, status="invalid", reason=problem) if problem else verdict)
    return checked


def _log_problem(eval_logs: dict[str, str], fetch: Callable[[str], Path | None]) -> str | None:
    for name, digest in sorted(eval_logs.items()):
        local = fetch(name)
        if local is None:
            return f"eval log {name} named by the token is missing"
        if file_sha256(local) != digest:
            return f"eval log {name} differs from the signed sha256 (replaced after signing)"
    return None


def _benchmark_file(api: HfApi, benchmark: str | Path, name: str) -> Path:
    if Path(benchmark).is_dir():
        return Path(benchmark) / name
    return _download(api, str(benchmark), name, repo_type="dataset")


def _download(api: HfApi, repo_id: str, filename: str, *, repo_type: str | None = None, revision: str | None = None) -> Path:
    try:
        return Path(api.hf_hub_download(repo_id, filename, repo_type=repo_type, revision=revision))
    except EntryNotFoundError as exc:
        raise VerificationError(f"{repo_id} has no {filename} on {api.endpoint}") from exc
    except (RepositoryNotFoundError, RevisionNotFoundError) as exc:
        raise VerificationError(f"{repo_type or 'model'} repo {repo_id}@{revision or 'main'} not found on {api.endpoint}") from exc
    except HfHubHTTPError as exc:
        raise VerificationError(f"cannot download {filename} from {repo_id}: {exc}") from exc
