"""The benchmark a leaderboard is for: tasks, direction of the primary metric, trust settings."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from huggingface_hub import HfApi
from huggingface_hub.errors import EntryNotFoundError, HfHubHTTPError

from ffasr_eval.errors import CollectError, FFASRError
from ffasr_eval.results import AVERAGE_TASK_ID
from ffasr_eval.signing import BenchmarkTrust, load_benchmark_trust
from ffasr_eval.spec import TaskSpec, load_spec

#: The task holding the close-talk reference condition every far-field task is compared to.
NEAR_FIELD_TASK = "near_field"


@dataclass(frozen=True)
class BenchmarkInfo:
    """What the collector needs to know about a benchmark.

    Attributes:
        repo_id: Hub dataset id.
        name: The eval.yaml `name`.
        tasks: Task ids in eval.yaml order (leaderboard columns).
        metrics: Task id -> primary metric id (``wer`` or ``per``).
        average_tasks: Tasks whose unweighted mean is the `average` column.
        lower_is_better: Direction of the primary metric (WER: True).
        trust: Trusted keys, hardware profile and averaged tasks (signing module).
        revisions: Dataset commits the benchmark published (results must be bound to one).
        fingerprint: Hash of eval.yaml and the trusted keys: what verification depends on.
    """

    repo_id: str
    name: str
    tasks: list[str]
    metrics: dict[str, str]
    average_tasks: list[str]
    lower_is_better: bool = True
    trust: BenchmarkTrust = field(default_factory=BenchmarkTrust)
    revisions: frozenset[str] = frozenset()
    fingerprint: str = ""

    @property
    def profile(self) -> str | None:
        """The benchmark's hardware profile (RTFx is comparable only on it)."""
        return self.trust.profile

    @property
    def columns(self) -> list[str]:
        """Value columns of the leaderboard: every task, then `average`."""
        return [*self.tasks, AVERAGE_TASK_ID]

    @property
    def far_field_tasks(self) -> list[str]:
        """Averaged word tasks other than the near-field one."""
        return [t for t in self.average_tasks if t != NEAR_FIELD_TASK and self.metrics.get(t) == "wer"]


def read_benchmark(api: HfApi, repo_id: str, revision: str) -> BenchmarkInfo:
    """Read a benchmark dataset repo at `revision`: eval.yaml, its trusted keys and published commits.

    Raises:
        CollectError: If the repo has no valid eval.yaml or trusted-evaluator registry.
    """
    try:
        spec_file = Path(api.hf_hub_download(repo_id, "eval.yaml", repo_type="dataset", revision=revision))
        spec = load_spec(spec_file)
        keys_file = Path(  # into the same snapshot folder as eval.yaml, where load_benchmark_trust looks
            api.hf_hub_download(repo_id, spec.ffasr.trusted_keys, repo_type="dataset", revision=revision)
        )
        trust = load_benchmark_trust(spec_file.parent)
        revisions = frozenset(c.commit_id for c in api.list_repo_commits(repo_id, repo_type="dataset", revision=revision))
    except EntryNotFoundError as exc:
        raise CollectError(f"{repo_id}@{revision[:12]} lacks a benchmark file: {exc}; push the benchmark folder first") from exc
    except HfHubHTTPError as exc:
        raise CollectError(f"cannot read benchmark {repo_id} on {api.endpoint}: {exc}") from exc
    except FFASRError as exc:
        raise CollectError(f"benchmark {repo_id}@{revision[:12]} is not usable: {exc}") from exc
    metrics = {task.id: _primary_metric(task) for task in spec.tasks}
    primary = next((m for m in spec.ffasr.metrics if m.primary), None)
    return BenchmarkInfo(
        repo_id=repo_id,
        name=spec.name,
        tasks=[task.id for task in spec.tasks],
        metrics=metrics,
        average_tasks=list(spec.ffasr.average),
        lower_is_better=primary.lower_is_better if primary is not None else True,
        trust=trust,
        revisions=revisions,
        fingerprint=hashlib.sha256(spec_file.read_bytes() + b"\0" + keys_file.read_bytes()).hexdigest(),
    )


def _primary_metric(task: TaskSpec) -> str:
    names = [scorer.name for scorer in task.scorers]
    return "per" if "per" in names and "wer" not in names else "wer"
