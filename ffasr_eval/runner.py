"""Run a speech model on a benchmark through Inspect AI, and summarise the run.

A run folder holds the Inspect logs (``logs/*.eval``: raw hypotheses, per-sample timing, no
audio), ``run.json`` (the `RunSummary`) and ``state.json`` (what the run is of, so a resumed run
never mixes two dataset revisions or two models).
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from inspect_ai import eval as inspect_eval
from inspect_ai import eval_retry
from inspect_ai.log import EvalLog, RecoveryNotAvailable, list_eval_logs, read_eval_log, recover_eval_log

from ffasr_eval.errors import RunError
from ffasr_eval.providers import OUTPUT_KINDS
from ffasr_eval.scoring import (
    ErrorCounts,
    bootstrap_ci,
    char_counts,
    corpus_rate,
    get_normalizer,
    phone_counts,
    pwed,
    word_counts,
)
from ffasr_eval.spec import EvalSpec, TaskSpec, load_spec
from ffasr_eval.summary import BenchmarkRef, ModelRef, NormalizerRef, RunSummary, TaskSummary, TimingRules
from ffasr_eval.tasks import Benchmark, ffasr, open_benchmark
from ffasr_eval.timing import hardware_fingerprint, rtfx

_STATE = "state.json"
_SPEC = "eval.yaml"
_PHONE_METRICS = ("per", "pwed")
_VERSIONED = ("ffasr-eval", "inspect-ai", "transformers", "torch", "pocketsphinx", "jiwer")


def _eval_options(display: str) -> dict[str, Any]:
    # Batch 1, one request at a time, no audio in the logs.
    return {"max_connections": 1, "max_samples": 1, "max_tasks": 1, "log_images": False, "display": display,
            "fail_on_error": False, "log_level": "warning"}


def _provider_output_kind(provider: str) -> str:
    """What the provider outputs; providers of other packages (any Inspect provider that accepts
    audio) output words.

    Raises:
        RunError: If Inspect knows no such provider.
    """
    import inspect_ai.model._providers.providers  # noqa: F401  (registers Inspect's own providers)
    from inspect_ai._util.entrypoints import ensure_entry_points
    from inspect_ai._util.registry import registry_find, registry_unqualified_name

    ensure_entry_points()
    # Matched by unqualified name, as Inspect's get_model does (sphinx == ffasr_eval/sphinx).
    if not registry_find(lambda info: info.type == "modelapi" and registry_unqualified_name(info) == provider):
        raise RunError(f"unknown model provider '{provider}': use sphinx/en-us, sphinx-phone/en-us, "
                       "hf-asr/<model id or path>, or an Inspect provider that accepts audio")
    return OUTPUT_KINDS.get(provider, "words")


def _select(spec: EvalSpec, wanted: Sequence[str] | None, kind: str) -> list[TaskSpec]:
    if wanted:
        unknown = sorted(set(wanted) - {t.id for t in spec.tasks})
        if unknown:
            raise RunError(f"no task {unknown} in {spec.name} (tasks: {[t.id for t in spec.tasks]})")
        return [t for t in spec.tasks if t.id in wanted]
    phone_task = {t.id: t.scorers[0].name in _PHONE_METRICS for t in spec.tasks}
    return [t for t in spec.tasks if phone_task[t.id] == (kind == "phones")]


@dataclass(frozen=True)
class _RunState:
    dataset_id: str
    revision: str | None
    model: str
    model_args: dict[str, Any]
    limit: int | None
    run_id: str

    def check(self, other: _RunState, run_dir: Path) -> None:
        for field, what in (("revision", "dataset revision"), ("dataset_id", "benchmark"), ("model", "model"),
                            ("model_args", "model args"), ("limit", "--limit")):
            if getattr(self, field) != getattr(other, field):
                raise RunError(f"{run_dir} holds a run with {what} {getattr(self, field)!r}, not "
                               f"{getattr(other, field)!r}: results of the two must not mix; use another --out")


def _read_state(run_dir: Path) -> _RunState | None:
    path = run_dir / _STATE
    return _RunState(**json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else None


def _task_logs(run_dir: Path) -> dict[str, EvalLog]:
    """The newest log header of each benchmark task in the run folder."""
    logs: dict[str, EvalLog] = {}
    for info in list_eval_logs(str(run_dir / "logs"), recursive=False):
        log = read_eval_log(info, header_only=True)
        task_id = (log.eval.metadata or {}).get("ffasr_task") or log.eval.task_args.get("task_id")
        if task_id and task_id not in logs:  # list_eval_logs is newest first
            logs[task_id] = log
    return logs


def _resumable(log: EvalLog, registered_as: str) -> EvalLog:
    """An interrupted task's log, ready for `eval_retry` to continue it.

    Args:
        log: The task's newest log (status ``started`` after a crash, ``cancelled`` or ``error``).
        registered_as: The name this process registered the ``ffasr`` task under.
    """
    # With its samples: eval_retry reuses only the samples of the log object it is given.
    try:  # a crashed process left samples it finished but never flushed to the log: recover them
        log = recover_eval_log(log.location, overwrite=True) if log.status == "started" else read_eval_log(log.location)
    except RecoveryNotAvailable:
        log = read_eval_log(log.location)
    # Inspect qualifies a task's name with its package, and records no source file, only when it
    # sees the package as installed; for an editable install that depends on the working
    # directory, so the interrupted process may have recorded a loose file (which eval_retry
    # cannot import) or the other form of the name. The ffasr task is always registered
    # (entry point): retry it by the name it has here.
    log.eval.task_file = None
    log.eval.task_registry_name = registered_as
    return log


def default_run_dir(model: str) -> Path:
    """``runs/<model>-<UTC time>``, the run folder used when none is given."""
    return Path("runs") / (re.sub(r"[^A-Za-z0-9_.-]+", "-", model) + datetime.now(UTC).strftime("-%Y%m%dT%H%M%S"))


def run_benchmark(
    benchmark: str | Path,
    model: str,
    *,
    limit: int | None = None,
    out_dir: str | Path | None = None,
    model_args: dict[str, Any] | None = None,
    tasks: Sequence[str] | None = None,
    endpoint: str | None = None,
    token: str | None = None,
    display: str = "none",
) -> RunSummary:
    """Evaluate `model` on every task of `benchmark` and write a run folder.

    Running again into the same `out_dir` resumes: finished tasks are kept, interrupted ones
    continue with Inspect's `eval_retry` (completed samples are reused), missing ones run.

    Args:
        benchmark: A benchmark folder or a Hub dataset repo id.
        model: ``provider/name``, e.g. ``sphinx/en-us`` or ``hf-asr/openai/whisper-tiny``.
        limit: Evaluate only the first `limit` samples of each task.
        out_dir: Run folder (default ``runs/<model>-<time>``).
        model_args: Provider options, e.g. ``{"lw": 9.0}`` or ``{"device": "cuda"}``.
        tasks: Task ids to run (default: every task the provider's output suits).
        endpoint: Hub address (default ``HF_ENDPOINT``).
        token: Hub token (default ``HF_TOKEN``).
        display: Inspect display (``none``, ``plain``, ``rich``).

    Example:
        >>> summary = run_benchmark("bench/", "sphinx/en-us", limit=5)  # doctest: +SKIP
        >>> round(summary.task("near_field").value, 3)
        0.162
    """
    if "/" not in model:
        raise RunError(f"model '{model}' must be PROVIDER/NAME, e.g. sphinx/en-us or hf-asr/openai/whisper-tiny")
    provider = model.split("/", 1)[0]

    bench = open_benchmark(benchmark, endpoint=endpoint, token=token)
    selected = _select(bench.spec, tasks, _provider_output_kind(provider))
    if not selected:
        raise RunError(f"none of the tasks of {bench.spec.name} suit the provider '{provider}'")
    args = {"warmup": bench.spec.ffasr.timing.warmup_samples, **(model_args or {})}
    run_dir = Path(out_dir) if out_dir else default_run_dir(model)
    state = _RunState(bench.dataset_id, bench.revision, model, args, limit,
                      datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3))
    previous = _read_state(run_dir)
    if previous is not None:
        previous.check(state, run_dir)
        state = previous
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / _STATE).write_text(json.dumps(state.__dict__, indent=2) + "\n", encoding="utf-8")
    bench.spec.dump(run_dir / _SPEC)  # what `rescore` scores against, even when the download is gone

    options = {**_eval_options(display), "log_dir": str(run_dir / "logs")}
    logs = _task_logs(run_dir)
    unfinished = [logs[t.id] for t in selected if t.id in logs and logs[t.id].status != "success"]
    missing = [t for t in selected if t.id not in logs]
    if unfinished:
        registered_as = ffasr(benchmark=str(bench.root), task_id=selected[0].id, limit=1).registry_name or "ffasr"
        eval_retry([_resumable(log, registered_as) for log in unfinished], **options)
    if missing:
        inspect_eval([ffasr(benchmark=str(bench.root), task_id=t.id, limit=limit) for t in missing],
                     model=model, model_args=args, **options)
    return _summarize(run_dir, bench, state, selected)


def _counts_for(metric: str, reference: str, hypothesis: str) -> ErrorCounts:
    if metric == "cer":
        return char_counts(reference, hypothesis)
    if metric == "per":
        return phone_counts(reference.split(), hypothesis.split())
    return word_counts(reference, hypothesis)


def _task_summary(log: EvalLog, spec: TaskSpec, preset: str | None) -> tuple[TaskSummary, str]:
    scorers = [s.name for s in spec.scorers]
    normalizer = get_normalizer(preset or spec.scorers[0].args.get("normalizer", "english")) \
        if scorers[0] not in _PHONE_METRICS else get_normalizer("none")
    counts: dict[str, list[ErrorCounts]] = {m: [] for m in scorers if m != "pwed"}
    distance = reference_length = 0.0
    audio = seconds = 0.0
    n_excluded = n_failed = 0
    for sample in log.samples or []:
        reference = normalizer(str(sample.target))
        if not reference.strip():
            n_excluded += 1
            continue
        failed = bool(sample.error or (sample.metadata or {}).get("audio_error"))
        n_failed += failed
        hypothesis = "" if failed or sample.output is None else normalizer(sample.output.completion)
        for metric in counts:
            counts[metric].append(_counts_for(metric, reference, hypothesis))
        if "pwed" in scorers:
            distance += pwed(reference.split(), hypothesis.split())
            reference_length += len(reference.split())
        timing = (sample.output.metadata or {}) if sample.output else {}
        if "transcribe_seconds" in timing:
            audio += float(timing["audio_seconds"])
            seconds += float(timing["transcribe_seconds"])
    primary = counts[scorers[0]]
    if not primary:
        raise RunError(f"task '{spec.id}' has no scorable samples in {log.location}")
    total = sum(primary, ErrorCounts())
    metrics = {m: corpus_rate(c) for m, c in counts.items()}
    if "pwed" in scorers:
        metrics["pwed"] = distance / reference_length
    summary = TaskSummary(
        task_id=spec.id, config=spec.config, split=spec.split, primary_metric=scorers[0],
        value=metrics[scorers[0]], ci95=bootstrap_ci(primary), metrics=metrics,
        substitutions=total.substitutions, deletions=total.deletions, insertions=total.insertions, hits=total.hits,
        reference_units=total.reference_units, n_samples=len(primary), n_excluded=n_excluded, n_failed=n_failed,
        audio_seconds=audio, transcribe_seconds=seconds, rtfx=rtfx(audio, seconds),
        log=f"logs/{Path(log.location).name}" if log.location else None,
    )
    return summary, str(normalizer)


def _versions() -> dict[str, str]:
    found = {}
    for package in _VERSIONED:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            continue
    return found


def _summarize(run_dir: Path, bench: Benchmark, state: _RunState, selected: Sequence[TaskSpec],
               preset: str | None = None, previous: RunSummary | None = None) -> RunSummary:
    headers = _task_logs(run_dir)
    tasks: list[TaskSummary] = []
    normalizers: set[str] = set()
    for spec in selected:
        header = headers.get(spec.id)
        if header is None or header.status != "success":
            status = header.status if header else "missing"
            raise RunError(f"task '{spec.id}' did not finish ({status}): run the same command again to resume")
        summary, normalizer = _task_summary(read_eval_log(header.location), spec, preset)
        tasks.append(summary)
        normalizers.add(normalizer)
    word_normalizers = sorted(n for n in normalizers if not n.startswith("none@")) or sorted(normalizers)
    name, _, number = word_normalizers[0].partition("@")
    averaged = bench.spec.ffasr.average
    values = {t.task_id: t.value for t in tasks}
    provider, model_name = state.model.split("/", 1)
    is_hub_model = provider == "hf-asr" and not Path(model_name).exists()
    summary = RunSummary(
        run_id=state.run_id,
        created_at=datetime.now(UTC),
        benchmark=BenchmarkRef(id=bench.dataset_id, name=bench.spec.name, revision=bench.revision),
        model=ModelRef(provider=provider, name=model_name, repo_id=model_name if is_hub_model else None,
                       revision=state.model_args.get("revision") if is_hub_model else None,
                       args={k: v for k, v in state.model_args.items() if isinstance(v, str | int | float | bool)}),
        tasks=tasks,
        average=sum(values[t] for t in averaged) / len(averaged) if all(t in values for t in averaged) else None,
        average_tasks=list(averaged),
        rtfx=rtfx(sum(t.audio_seconds for t in tasks), sum(t.transcribe_seconds for t in tasks)),
        # A rescore keeps the machine and versions the model ran with.
        hardware=previous.hardware if previous else hardware_fingerprint(bench.spec.ffasr.hardware.profile),
        versions=previous.versions if previous else _versions(),
        normalizer=NormalizerRef(name=name, version=int(number)),
        timing=TimingRules(batch_size=1, warmup_samples=int(state.model_args.get("warmup", 0))),
    )
    summary.save(run_dir)
    return summary


def rescore(run_dir: str | Path, preset: str | None = None) -> RunSummary:
    """Recompute every score of a run from the raw hypotheses in its logs, without the model.

    Args:
        run_dir: A folder written by `run_benchmark`.
        preset: Normalizer preset to use instead of the benchmark's (e.g. ``english@1``).
    """
    run_dir = Path(run_dir)
    state = _read_state(run_dir)
    if state is None:
        raise RunError(f"{run_dir} is not a run folder (no {_STATE}): was it written by `ffasr-eval run`?")
    previous = RunSummary.load(run_dir)
    bench = Benchmark(run_dir, load_spec(run_dir / _SPEC), state.dataset_id, state.revision)
    selected = [bench.spec.task(t.task_id) for t in previous.tasks]
    return _summarize(run_dir, bench, state, selected, preset, previous)
