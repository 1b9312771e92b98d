"""Hub result files (``.eval_results/<benchmark>.yaml``) and the payload a signature covers.

A run (`ffasr_eval.summary.RunSummary`) becomes one `ResultPayload`: everything the result
claims, in the units the Hub shows (error rates in percent, rounded to `VALUE_DECIMALS`).
The payload is what `ffasr_eval.signing` signs, and the Hub entries are derived from it, so the
values in the file and the signed values cannot drift apart. The file format itself is
`huggingface_hub`'s: `EvalResultEntry` objects written with `eval_result_entries_to_yaml` and
read back with `parse_eval_result_entries`.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

import yaml
from huggingface_hub import EvalResultEntry, eval_result_entries_to_yaml, parse_eval_result_entries
from pydantic import BaseModel, ConfigDict, Field

from ffasr_eval.errors import ResultsError
from ffasr_eval.summary import HardwareInfo, NormalizerRef, RunSummary

#: Task id of the entry holding the unweighted mean of the averaged tasks.
AVERAGE_TASK_ID = "average"
#: Decimals kept for values in percent (12.3457 %).
VALUE_DECIMALS = 4
#: Largest difference tolerated between an `average` and the mean of its tasks (one unit of the
#: last kept decimal, to absorb rounding of the mean).
AVERAGE_TOLERANCE = 10.0**-VALUE_DECIMALS
#: Folder of result files in a model repo.
RESULTS_DIR = ".eval_results"
#: Folder of eval logs in a model repo.
LOGS_DIR = "eval_logs"
#: Version of the payload layout below; bump it when claims change.
PAYLOAD_VERSION = 1


class _Claims(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelClaim(_Claims):
    """The model a result is about."""

    repo_id: str
    revision: str


class DatasetClaim(_Claims):
    """The benchmark dataset a result was measured on."""

    id: str
    revision: str | None
    name: str


class TaskClaim(_Claims):
    """One task's primary metric (percent), its bootstrap 95 % interval (percent) and speed."""

    metric: Literal["wer", "per"]
    value: float
    ci95: tuple[float, float]
    rtfx: float
    n_samples: int


class AverageClaim(_Claims):
    """The unweighted mean of some tasks' values (percent)."""

    tasks: list[str] = Field(min_length=1)
    value: float


class ResultPayload(_Claims):
    """Every claim of a result: the payload of its `verifyToken`.

    Every field is required, so a token whose payload lacks a claim or has an extra one does not
    validate. Values are percent, rounded to `VALUE_DECIMALS`.
    """

    v: Literal[1]
    iss: str = Field(description="Evaluator identity: the key owner.")
    role: Literal["official", "community"] = Field(description="Role the evaluator signs in.")
    iat: int = Field(description="Issued at, seconds since the epoch (UTC).")
    run_id: str
    date: str = Field(description="When the run was made, ISO-8601 UTC.")
    model: ModelClaim
    dataset: DatasetClaim
    tasks: dict[str, TaskClaim] = Field(min_length=1)
    average: AverageClaim | None
    rtfx: float = Field(description="Audio-weighted RTFx over every timed task.")
    batch_size: int
    warmup_samples: int
    hardware: HardwareInfo
    versions: dict[str, str]
    normalizer: NormalizerRef
    eval_logs: dict[str, str] = Field(description="Eval log path in the model repo -> sha256 hex.")

    def value_of(self, task_id: str) -> float | None:
        """The signed value of `task_id` (`average` included), or None if not covered."""
        if task_id == AVERAGE_TASK_ID:
            return self.average.value if self.average is not None else None
        task = self.tasks.get(task_id)
        return task.value if task is not None else None

    def average_error(self) -> str | None:
        """Why the signed `average` is not the mean of its tasks, or None if it is."""
        return average_error(self.average, {t: c.value for t, c in self.tasks.items()})


#: Claim names a payload must have, exactly.
PAYLOAD_CLAIMS = frozenset(ResultPayload.model_fields)


@dataclass(frozen=True)
class ResultSource:
    """Where a result comes from (`source` of a Hub entry): the eval log and who ran it."""

    url: str
    name: str = "Inspect eval log"
    user: str | None = None
    org: str | None = None


def to_percent(fraction: float) -> float:
    """An error rate fraction in percent, rounded to `VALUE_DECIMALS` (0.123456 -> 12.3456)."""
    return round(fraction * 100.0, VALUE_DECIMALS)


def average_error(average: AverageClaim | None, values: dict[str, float]) -> str | None:
    """Why `average` is not the mean of its tasks' `values`, or None if it is (or there is none).

    Example:
        >>> average_error(AverageClaim(tasks=["a", "b"], value=15.0), {"a": 10.0, "b": 20.0}) is None
        True
    """
    if average is None:
        return None
    missing = [t for t in average.tasks if t not in values]
    if missing:
        return f"average covers tasks {missing} that have no value"
    mean = sum(values[t] for t in average.tasks) / len(average.tasks)
    if not math.isclose(average.value, mean, rel_tol=0.0, abs_tol=AVERAGE_TOLERANCE):
        return f"average {average.value} is not the mean {mean:.{VALUE_DECIMALS}f} of tasks {average.tasks}"
    return None


def results_path(dataset_id: str) -> str:
    """Path of the result file for a benchmark dataset inside a model repo.

    Example:
        >>> results_path("ffasr/FFASR-bench")
        '.eval_results/ffasr-bench.yaml'
    """
    return f"{RESULTS_DIR}/{_slug(dataset_id)}.yaml"


def log_path(dataset_id: str, run_id: str, log_name: str) -> str:
    """Path of an eval log inside a model repo: ``eval_logs/<benchmark>/<run-id>/<log file>``."""
    return f"{LOGS_DIR}/{_slug(dataset_id)}/{_slug(run_id)}/{Path(log_name).name}"


def build_payload(
    summary: RunSummary,
    *,
    model_repo: str,
    model_revision: str,
    dataset_id: str,
    dataset_revision: str | None,
    eval_logs: dict[str, str],
    evaluator: str,
    role: Literal["official", "community"] = "community",
    issued_at: datetime | None = None,
) -> ResultPayload:
    """Everything a run claims, as the payload to sign.

    Args:
        summary: The run.
        model_repo: Hub model repo the result is for (the repo the result file goes into).
        model_revision: Commit sha of the evaluated model.
        dataset_id: Hub dataset repo id of the benchmark.
        dataset_revision: Dataset commit sha the run used (None for an unpublished benchmark).
        eval_logs: Path of each eval log in the model repo -> sha256 hex of its bytes.
        evaluator: Who ran the evaluation (the signing key's owner).
        role: Role the evaluator signs in (`official` for the benchmark's own queue).
        issued_at: Signing time (default: now).

    Raises:
        ResultsError: If an averaged task is missing from the run or the run has no tasks.

    Example:
        >>> payload = build_payload(summary, model_repo="me/asr", model_revision=sha,
        ...     dataset_id="ffasr/bench", dataset_revision=ds_sha, eval_logs={}, evaluator="me")
    """
    if not summary.tasks:
        raise ResultsError(f"run {summary.run_id} has no tasks: nothing to publish")
    tasks = {
        t.task_id: TaskClaim(
            metric="per" if t.primary_metric == "per" else "wer",
            value=to_percent(t.value),
            ci95=(to_percent(t.ci95[0]), to_percent(t.ci95[1])),
            rtfx=round(t.rtfx, 3),
            n_samples=t.n_samples,
        )
        for t in summary.tasks
    }
    if AVERAGE_TASK_ID in tasks:
        raise ResultsError(f"run {summary.run_id}: a task may not be called '{AVERAGE_TASK_ID}' (reserved)")
    average = None
    if summary.average_tasks:
        missing = [t for t in summary.average_tasks if t not in tasks]
        if missing:
            raise ResultsError(
                f"run {summary.run_id}: cannot write an '{AVERAGE_TASK_ID}' entry, averaged tasks {missing} "
                f"were not run (ran: {sorted(tasks)}); run every task of the benchmark, without --limit on tasks"
            )
        mean = sum(tasks[t].value for t in summary.average_tasks) / len(summary.average_tasks)
        average = AverageClaim(tasks=list(summary.average_tasks), value=round(mean, VALUE_DECIMALS))
    issued = issued_at or datetime.now(timezone.utc)
    return ResultPayload(
        v=PAYLOAD_VERSION,
        iss=evaluator,
        role=role,
        iat=int(issued.timestamp()),
        run_id=summary.run_id,
        date=_iso(summary.created_at),
        model=ModelClaim(repo_id=model_repo, revision=model_revision),
        dataset=DatasetClaim(id=dataset_id, revision=dataset_revision, name=summary.benchmark.name),
        tasks=tasks,
        average=average,
        rtfx=round(summary.rtfx, 3),
        batch_size=summary.timing.batch_size,
        warmup_samples=summary.timing.warmup_samples,
        hardware=summary.hardware,
        versions=dict(summary.versions),
        normalizer=summary.normalizer,
        eval_logs=dict(eval_logs),
    )


def build_entries(
    payload: ResultPayload,
    *,
    verify_token: str | None = None,
    source: ResultSource | None = None,
    task_sources: dict[str, ResultSource] | None = None,
) -> list[EvalResultEntry]:
    """Hub entries for a payload: one per task, then `average` (if the payload has one).

    Args:
        payload: The result's claims.
        verify_token: Signature of `payload` put into every entry (None: unsigned result).
        source: `source` of every entry (typically the eval log's URL).
        task_sources: Per-task `source` overriding `source` (each task's own log).

    Example:
        >>> yaml_text = results_to_yaml(build_entries(payload, verify_token=token))
    """
    task_sources = task_sources or {}
    entries = [
        _entry(payload, task_id, claim.value, _task_notes(payload, claim), verify_token,
               task_sources.get(task_id, source))
        for task_id, claim in payload.tasks.items()
    ]
    if payload.average is not None:
        metric = {payload.tasks[t].metric for t in payload.average.tasks}
        notes = (
            f"mean {'/'.join(sorted(metric)).upper()} % of {len(payload.average.tasks)} tasks · "
            f"RTFx {payload.rtfx:g} (audio-weighted) · {_setup_notes(payload)}"
        )
        entries.append(_entry(payload, AVERAGE_TASK_ID, payload.average.value, notes, verify_token, source))
    return entries


def results_to_yaml(entries: Sequence[EvalResultEntry]) -> str:
    """The text of a ``.eval_results/*.yaml`` file (dates are quoted ISO-8601 strings)."""
    return yaml.safe_dump(eval_result_entries_to_yaml(list(entries)), sort_keys=False, allow_unicode=True, width=4096)


def parse_results(text: str, *, source: str = "<results>") -> list[EvalResultEntry]:
    """Parse the text of a ``.eval_results/*.yaml`` file.

    Args:
        text: File content.
        source: Name of the file, used in error messages.

    Raises:
        ResultsError: If the text is not a YAML list of entries, or an entry lacks
            `dataset.id`, `dataset.task_id` or a numeric `value`; the message names the entry.

    Example:
        >>> entries = parse_results(Path(".eval_results/ffasr.yaml").read_text())
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ResultsError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(data, list):
        raise ResultsError(f"{source}: expected a YAML list of result entries, got {type(data).__name__}")
    entries = []
    for index, item in enumerate(data):
        where = f"{source}: entry {index}"
        if not isinstance(item, dict):
            raise ResultsError(f"{where}: expected a mapping, got {type(item).__name__}")
        if isinstance(item.get("date"), datetime):  # an unquoted date is read as a timestamp
            item = {**item, "date": _iso(item["date"])}
        try:
            (entry,) = parse_eval_result_entries([item])
        except KeyError as exc:
            raise ResultsError(f"{where}: missing field {exc} (need dataset.id, dataset.task_id, value)") from exc
        except (AttributeError, TypeError, ValueError) as exc:
            raise ResultsError(f"{where}: {exc}") from exc
        if isinstance(entry.value, bool) or not isinstance(entry.value, int | float):
            raise ResultsError(f"{where} ({entry.task_id}): value must be a number, got {entry.value!r}")
        if entry.verify_token is not None and not isinstance(entry.verify_token, str):
            raise ResultsError(f"{where} ({entry.task_id}): verifyToken must be a string")
        entries.append(entry)
    return entries


def load_results(path: str | Path) -> list[EvalResultEntry]:
    """Read a ``.eval_results/*.yaml`` file (see `parse_results`).

    Raises:
        ResultsError: If the file is missing or invalid.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResultsError(f"cannot read result file {path}: {exc.strerror or exc}") from exc
    return parse_results(text, source=str(path))


def result_key(entries: Sequence[EvalResultEntry]) -> frozenset[tuple[str, str, str | None, float]]:
    """What a result file says, ignoring when and by whom it was signed: (dataset, task, revision, value).

    Two files with the same key report the same results (used to refuse duplicate PRs).
    """
    return frozenset((e.dataset_id, e.task_id, e.dataset_revision, float(e.value)) for e in entries)


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes (how eval logs are bound into a payload)."""
    with Path(path).open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _entry(
    payload: ResultPayload,
    task_id: str,
    value: float,
    notes: str,
    verify_token: str | None,
    source: ResultSource | None,
) -> EvalResultEntry:
    return EvalResultEntry(
        dataset_id=payload.dataset.id,
        task_id=task_id,
        value=value,
        dataset_revision=payload.dataset.revision,
        verify_token=verify_token,
        date=payload.date,
        source_url=source.url if source else None,
        source_name=source.name if source else None,
        source_user=source.user if source else None,
        source_org=source.org if source else None,
        notes=notes,
    )


def _task_notes(payload: ResultPayload, claim: TaskClaim) -> str:
    return f"{claim.metric.upper()} % · RTFx {claim.rtfx:g} · {claim.n_samples} samples · {_setup_notes(payload)}"


def _setup_notes(payload: ResultPayload) -> str:
    profile = payload.hardware.profile or "unprofiled hardware"
    return (
        f"batch {payload.batch_size} · {profile} · "
        f"normalizer {payload.normalizer.name}@{payload.normalizer.version}"
    )


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", name.rstrip("/").split("/")[-1].lower()).strip("-.")
    if not slug:
        raise ResultsError(f"cannot derive a file name from '{name}': use a name with letters or digits")
    return slug

