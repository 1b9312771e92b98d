"""Where evaluations run: in this process (default) or as Ray tasks on matching nodes.

An executor turns `EvalJob`s into `EvalOutcome`s (or the exception that ended the job), in
the order given. The Ray executor pins each job to nodes offering the custom resource named
after the benchmark's hardware profile (start nodes with ``ray start --resources='{"cpu-2c": 1}'``),
so official timings come only from machines of that profile; Ray re-runs a job whose worker died.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ffasr_eval.errors import MissingDependencyError
from ffasr_eval.queue._model import QueueRequest

#: Ray retries of a job whose worker process or node died.
RAY_MAX_RETRIES = 2


@dataclass(frozen=True)
class EvalJob:
    """One official evaluation to run.

    Attributes:
        request: The request being served.
        work_dir: Folder of the job's run folders (``public/``, ``heldout/``); a re-run resumes them.
        heldout: Local held-out benchmark folder (split ``heldout``), or None.
        limit: Samples per task (None: all).
        endpoint: Hub address the benchmark and model are read from.
        token: Hub token to read them with.
    """

    request: QueueRequest
    work_dir: Path
    heldout: Path | None = None
    limit: int | None = None
    endpoint: str | None = None
    token: str | None = None


@dataclass(frozen=True)
class EvalOutcome:
    """A finished job: the public run folder to submit and the held-out values (percent) to publish."""

    run_dir: Path
    heldout: dict[str, float] | None


def evaluate(job: EvalJob) -> EvalOutcome:
    """Run the public split (from the Hub) and the held-out split (local folder) of one request."""
    from ffasr_eval.runner import run_benchmark

    request = job.request
    options = {"limit": job.limit, "model_args": request.runner_args, "endpoint": job.endpoint, "token": job.token}
    run_benchmark(request.benchmark, request.runner_model, out_dir=job.work_dir / "public", **options)
    heldout = None
    if job.heldout is not None:
        summary = run_benchmark(job.heldout, request.runner_model, out_dir=job.work_dir / "heldout", **options)
        heldout = {t.task_id: round(t.value * 100, 2) for t in summary.tasks}
        if summary.average is not None:
            heldout["average"] = round(summary.average * 100, 2)
    return EvalOutcome(job.work_dir / "public", heldout)


class Executor(Protocol):
    """Runs evaluation jobs; yields each job's outcome or the exception that ended it, in order."""

    def run(self, jobs: Sequence[EvalJob]) -> Iterator[EvalOutcome | Exception]: ...


Evaluation = Callable[[EvalJob], EvalOutcome]


class LocalExecutor:
    """Runs jobs one after another in this process (on this machine's hardware).

    Args:
        evaluation: What one job runs (default `evaluate`).
    """

    def __init__(self, evaluation: Evaluation = evaluate) -> None:
        self._evaluation = evaluation

    def run(self, jobs: Sequence[EvalJob]) -> Iterator[EvalOutcome | Exception]:
        for job in jobs:
            try:
                yield self._evaluation(job)
            except Exception as exc:  # noqa: BLE001 - a failed job is reported, the worker goes on
                yield exc


class RayExecutor:
    """Runs jobs in parallel as Ray tasks, each needing one unit of the `profile` resource.

    Connects to the running Ray cluster (``ray.init(address="auto")``) unless one is already
    initialised in this process (tests start a local one).

    Args:
        profile: The benchmark's hardware profile, the custom resource each job needs one unit of.
        num_cpus: CPUs each job reserves.
        evaluation: What one job runs (default `evaluate`).

    Example:
        >>> outcomes = list(RayExecutor("cpu-2c").run(jobs))  # doctest: +SKIP
    """

    def __init__(self, profile: str, *, num_cpus: float = 1, evaluation: Evaluation = evaluate) -> None:
        try:
            import ray
        except ImportError as exc:
            raise MissingDependencyError("ray", "ray", "The Ray executor") from exc
        if not ray.is_initialized():
            ray.init(address="auto")
        self._ray = ray
        self._task = ray.remote(evaluation).options(resources={profile: 1}, num_cpus=num_cpus,
                                                  max_retries=RAY_MAX_RETRIES)

    def run(self, jobs: Sequence[EvalJob]) -> Iterator[EvalOutcome | Exception]:
        refs = [self._task.remote(job) for job in jobs]  # all submitted first: they run in parallel
        for ref in refs:
            try:
                yield self._ray.get(ref)
            except Exception as exc:  # noqa: BLE001 - RayTaskError / WorkerCrashedError after retries
                yield exc
