"""Open the result pull request on a model repo (author or community result).

`submit` turns a run folder into one PR that adds ``.eval_results/<benchmark>.yaml`` and the
run's Inspect eval logs (``eval_logs/<benchmark>/<run-id>/*.eval``), signed when an evaluator
key is configured. It talks to the Hub only through `huggingface_hub`, so it works the same
against huggingface.co and the embedded Hub.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from huggingface_hub import CommitOperationAdd, EvalResultEntry, HfApi
from huggingface_hub.errors import EntryNotFoundError, HfHubHTTPError, RepositoryNotFoundError

import ffasr_eval
from ffasr_eval._identity import whoami
from ffasr_eval._templates import render_template
from ffasr_eval.errors import ResultsError, SubmitError
from ffasr_eval.results import (
    ResultPayload,
    ResultSource,
    build_entries,
    build_payload,
    file_sha256,
    log_path,
    parse_results,
    result_key,
    results_path,
    results_to_yaml,
)
from ffasr_eval.signing import EvaluatorKey, resolve_key, sign_payload
from ffasr_eval.summary import RunSummary

_OPEN_PR_STATUSES = ("open", "draft")


@dataclass(frozen=True)
class PreparedResult:
    """A run turned into the files of a result: entries (signed or not) and eval logs.

    Attributes:
        summary: The run.
        payload: Every claim of the result (what the token signs).
        entries: The Hub entries (one per task, then `average`).
        results_path: Path of the result file in the model repo.
        logs: Path of each eval log in the model repo -> the local log file.
        kid: Key id of the signature, or None for an unsigned result.
    """

    summary: RunSummary
    payload: ResultPayload
    entries: list[EvalResultEntry]
    results_path: str
    logs: dict[str, Path]
    kid: str | None

    def results_yaml(self) -> str:
        """The text of the result file."""
        return results_to_yaml(self.entries)


@dataclass(frozen=True)
class SubmitResult:
    """The pull request `submit` opened.

    Attributes:
        pr_url: Web address of the pull request.
        pr_num: Its number (the files are at ``refs/pr/<pr_num>``).
        kind: ``author`` when the submitter owns the model repo (user or one of their orgs),
            else ``community``.
        result: What the PR adds.
    """

    pr_url: str
    pr_num: int
    kind: Literal["author", "community"]
    result: PreparedResult


def prepare_result(
    run_dir: str | Path,
    model_repo: str,
    *,
    model_revision: str | None = None,
    key: EvaluatorKey | None = None,
    benchmark_repo: str | None = None,
    submitter: str | None = None,
    role: Literal["official", "community"] = "community",
    log_base_url: str = "",
) -> PreparedResult:
    """Turn a run folder into a result for `model_repo`: payload, signature, entries, logs.

    Args:
        run_dir: Run folder written by `ffasr-eval run` (``run.json`` + ``logs/*.eval``).
        model_repo: Hub model repo the result is for.
        model_revision: Model commit to bind when the run did not record one.
        key: Key to sign with (None: unsigned).
        benchmark_repo: Hub dataset id of the benchmark, needed when the run used a local folder.
        submitter: Hub user submitting (entries' `source.user`; the evaluator if the key has no owner).
        role: Role the evaluator signs in (`official` only for a benchmark's own queue).
        log_base_url: Prefix of the eval logs' URLs in `source.url` ("" for repo-relative paths).

    Raises:
        SubmitError: If the run folder, benchmark or model revision is not usable.
        ResultsError: If the run lacks an averaged task.

    Example:
        >>> prepared = prepare_result("runs/sphinx", "cmu/pocketsphinx-en-us", model_revision=sha, key=key)
        >>> Path(prepared.results_path).name
        'far-field-bench.yaml'
    """
    run_dir = Path(run_dir)
    summary = RunSummary.load(run_dir)
    logs = _run_logs(run_dir, summary)
    dataset_id, dataset_revision = _benchmark(summary, benchmark_repo)
    if summary.model.repo_id is not None and summary.model.repo_id != model_repo:
        raise SubmitError(
            f"run {summary.run_id} evaluated {summary.model.repo_id}, not {model_repo}: submit to the evaluated model's repo"
        )
    revision = summary.model.revision or model_revision
    if revision is None:
        raise SubmitError(
            f"run {summary.run_id} did not record a model revision: give the model commit to bind (--model-revision)"
        )
    repo_logs = {log_path(dataset_id, summary.run_id, p.name): p for p in logs}
    payload = build_payload(
        summary,
        model_repo=model_repo,
        model_revision=revision,
        dataset_id=dataset_id,
        dataset_revision=dataset_revision,
        eval_logs={path: file_sha256(local) for path, local in repo_logs.items()},
        evaluator=(key.owner if key is not None and key.owner else submitter) or "unknown",
        role=role,
    )
    by_name = {local.name: path for path, local in repo_logs.items()}
    url = (log_base_url.rstrip("/") + "/") if log_base_url else ""
    source = ResultSource(url=url + next(iter(repo_logs)), user=submitter)
    task_sources = {
        t.task_id: ResultSource(url=url + by_name[Path(t.log).name], user=submitter)
        for t in summary.tasks
        if t.log and Path(t.log).name in by_name
    }
    token = sign_payload(payload, key) if key is not None else None
    return PreparedResult(
        summary=summary,
        payload=payload,
        entries=build_entries(payload, verify_token=token, source=source, task_sources=task_sources),
        results_path=results_path(dataset_id),
        logs=repo_logs,
        kid=key.kid if key is not None else None,
    )


def write_result(prepared: PreparedResult, out_dir: str | Path) -> list[Path]:
    """Write a prepared result into a model repo checkout (or any folder) instead of opening a PR.

    Writes ``<out_dir>/.eval_results/<benchmark>.yaml`` and the eval logs; returns the paths.

    Example:
        >>> write_result(prepare_result("run", "ffasr/pocketsphinx-en-us", model_revision="v5.1.1",
        ...     key=load_key("demo.pem"), benchmark_repo="ffasr/far-field-bench"), ".")
    """
    out_dir = Path(out_dir)
    written = [out_dir / prepared.results_path]
    written[0].parent.mkdir(parents=True, exist_ok=True)
    written[0].write_text(prepared.results_yaml(), encoding="utf-8")
    for path, local in prepared.logs.items():
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(local, target)
        written.append(target)
    return written


def submit(
    run_dir: str | Path,
    model_repo: str,
    *,
    key: str | Path | EvaluatorKey | None = None,
    endpoint: str | None = None,
    token: str | None = None,
    benchmark_repo: str | None = None,
    role: Literal["official", "community"] = "community",
) -> SubmitResult:
    """Sign a run (if a key is configured) and open one result PR on `model_repo`.

    The signature binds the model revision the run recorded; when the run did not record one
    (a local provider such as pocketsphinx), it binds the model repo's ``main`` commit at submit
    time, and the PR is opened on top of exactly that commit.

    Args:
        run_dir: Run folder written by `ffasr-eval run` (``run.json`` + ``logs/*.eval``).
        model_repo: Hub model repo that receives the PR.
        key: Private key file (or loaded key); default ``$FFASR_KEY``, then `default_key_path()`.
        endpoint: Hub address (default: ``HF_ENDPOINT``).
        token: Hub token (default: ``HF_TOKEN`` / the stored login).
        benchmark_repo: Hub dataset id of the benchmark, needed when the run used a local folder.
        role: Role the evaluator signs in (`official` only for a benchmark's own queue).

    Returns:
        The opened pull request.

    Raises:
        SubmitError: If the run, the repo or the submitter is not usable, or an open PR (or
            main) already has the same results.
        SigningError: If a configured key cannot be loaded.

    Example:
        >>> result = submit("runs/sphinx", "alice/pocketsphinx-en-us", key="evaluator.pem")
        >>> result.kind, result.pr_url
        ('author', 'https://huggingface.co/alice/pocketsphinx-en-us/discussions/1')
    """
    signing_key = resolve_key(key)
    api = HfApi(endpoint=endpoint, token=token)
    submitter, kind = _submitter(api, model_repo)
    main_sha = _main_sha(api, model_repo)
    prepared = prepare_result(
        run_dir, model_repo, model_revision=main_sha, key=signing_key,
        benchmark_repo=benchmark_repo, submitter=submitter, role=role,
        log_base_url=f"{api.endpoint}/{model_repo}/blob/main",
    )
    _refuse_duplicate(api, model_repo, prepared, main_sha)
    description = render_pr_description(prepared, kind=kind, submitter=submitter, endpoint=api.endpoint)
    operations = [CommitOperationAdd(prepared.results_path, prepared.results_yaml().encode("utf-8"))]
    operations += [CommitOperationAdd(path, str(local)) for path, local in prepared.logs.items()]
    signed = ", signed" if prepared.kid else ""
    title = f"{prepared.payload.dataset.name} results ({kind} result by {submitter}{signed})"
    try:
        commit = api.create_commit(
            model_repo, operations, commit_message=title, commit_description=description,
            create_pr=True, parent_commit=main_sha,
        )
    except HfHubHTTPError as exc:
        raise SubmitError(f"cannot open the result PR on {model_repo}: {exc}") from exc
    if commit.pr_url is None or commit.pr_num is None:
        raise SubmitError(f"the Hub did not open a pull request on {model_repo} (commit {commit.oid})")
    return SubmitResult(pr_url=commit.pr_url, pr_num=commit.pr_num, kind=kind, result=prepared)


def render_pr_description(
    prepared: PreparedResult, *, kind: Literal["author", "community"], submitter: str, endpoint: str
) -> str:
    """The PR description (``templates/pr_description.md``): what was run, numbers, how to reproduce."""
    payload, summary = prepared.payload, prepared.summary
    rows = [
        {"task_id": t, "metric": c.metric.upper(), "value": c.value, "rtfx": f"{c.rtfx:g}", "n_samples": c.n_samples}
        for t, c in payload.tasks.items()
    ]
    if payload.average is not None:
        averaged = [payload.tasks[t] for t in payload.average.tasks]
        rows.append({"task_id": "**average**", "metric": "/".join(sorted({c.metric.upper() for c in averaged})),
                     "value": payload.average.value, "rtfx": f"{payload.rtfx:g}",
                     "n_samples": sum(c.n_samples for c in averaged)})
    kind_sentence = (
        f"**Author result**: submitted by `{submitter}`, who owns this repo."
        if kind == "author"
        else f"**Community result**: submitted by `{submitter}`, who does not own this repo; "
        "it becomes part of the model card's results when the owner merges this PR."
    )
    hardware = payload.hardware
    return render_template(
        "pr_description.md",
        SubmitError,
        benchmark_name=payload.dataset.name,
        model_repo=payload.model.repo_id,
        model_revision=payload.model.revision,
        kind_sentence=kind_sentence,
        rows=rows,
        dataset_id=payload.dataset.id,
        dataset_url=f"{endpoint}/datasets/{payload.dataset.id}",
        dataset_revision=payload.dataset.revision,
        provider=summary.model.provider,
        provider_model=summary.model.name,
        batch_size=payload.batch_size,
        warmup_samples=payload.warmup_samples,
        hardware_profile=hardware.profile or "none",
        hardware=f"{hardware.cpu}, {hardware.cores} cores" + (f", {hardware.gpu}" if hardware.gpu else ""),
        normalizer=f"{payload.normalizer.name}@{payload.normalizer.version}",
        average_tasks=payload.average.tasks if payload.average else [],
        versions=", ".join(f"{k} {v}" for k, v in sorted(payload.versions.items())) or "not recorded",
        run_id=payload.run_id,
        results_path=prepared.results_path,
        logs=[{"path": p, "sha256": payload.eval_logs[p]} for p in prepared.logs],
        kid=prepared.kid,
        evaluator=payload.iss,
        role=payload.role,
        ffasr_version=ffasr_eval.__version__,
    )


def _run_logs(run_dir: Path, summary: RunSummary) -> list[Path]:
    """The logs the run's scores come from (not those of interrupted attempts a resume replaced)."""
    logs = [run_dir / task.log for task in summary.tasks if task.log]
    missing = [str(p) for p in logs if not p.is_file()]
    if not logs or missing:
        raise SubmitError(
            f"run {summary.run_id} lacks the Inspect logs its scores come from ({', '.join(missing) or 'none named'}): "
            "a result PR must carry them; run `ffasr-eval run` into the same folder again, then `ffasr-eval rescore`"
        )
    return sorted(logs)


def _benchmark(summary: RunSummary, benchmark_repo: str | None) -> tuple[str, str | None]:
    ran = summary.benchmark
    if benchmark_repo is None:
        if not _is_repo_id(ran.id):
            raise SubmitError(
                f"run {summary.run_id} used the local benchmark folder {ran.id}: pass the Hub dataset it is "
                "published as (--benchmark ORG/NAME)"
            )
        return ran.id, ran.revision
    if not _is_repo_id(benchmark_repo):
        raise SubmitError(f"--benchmark must be a Hub dataset id like ORG/NAME, got {benchmark_repo!r}")
    if _is_repo_id(ran.id) and ran.id != benchmark_repo:
        raise SubmitError(f"run {summary.run_id} evaluated benchmark {ran.id}, not {benchmark_repo}")
    return benchmark_repo, ran.revision


def _is_repo_id(name: str) -> bool:
    parts = name.split("/")
    return len(parts) == 2 and all(parts) and not Path(name).exists() and not name.startswith((".", "~"))


def _submitter(api: HfApi, model_repo: str) -> tuple[str, Literal["author", "community"]]:
    user, namespaces = whoami(api, SubmitError, "submitting")
    return user, "author" if model_repo.split("/")[0] in namespaces else "community"


def _main_sha(api: HfApi, model_repo: str) -> str:
    try:
        info = api.model_info(model_repo)
    except RepositoryNotFoundError as exc:
        raise SubmitError(f"model repo {model_repo} not found on {api.endpoint} (or not visible with this token)") from exc
    if not info.sha:
        raise SubmitError(f"the Hub did not report the head commit of {model_repo}")
    return info.sha


def _refuse_duplicate(api: HfApi, model_repo: str, prepared: PreparedResult, main_sha: str) -> None:
    wanted, path = result_key(prepared.entries), prepared.results_path
    if _results_at(api, model_repo, path, main_sha) == wanted:
        raise SubmitError(f"{model_repo} already has these results in {path} on main: nothing to submit")
    for discussion in api.get_repo_discussions(model_repo, discussion_type="pull_request", discussion_status="all"):
        if discussion.status in _OPEN_PR_STATUSES and discussion.git_reference:
            if _results_at(api, model_repo, path, discussion.git_reference) == wanted:
                raise SubmitError(
                    f"open PR #{discussion.num} on {model_repo} ({discussion.url}) already proposes these results; "
                    "comment there instead of opening a duplicate"
                )


def _results_at(api: HfApi, model_repo: str, path: str, revision: str) -> frozenset | None:
    try:
        local = api.hf_hub_download(model_repo, path, revision=revision)
    except EntryNotFoundError:
        return None
    try:
        return result_key(parse_results(Path(local).read_text(encoding="utf-8"), source=f"{model_repo}@{revision}:{path}"))
    except ResultsError:  # a broken file elsewhere is not a duplicate of ours
        return None
