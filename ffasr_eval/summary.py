"""The run summary: what one evaluation run measured, as stored in ``RUN_DIR/run.json``.

The runner writes it, `rescore` rewrites it, and signing/submission read it. Error rates are
stored as fractions (0.125 means 12.5 %); result files on the Hub show them in percent.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ffasr_eval.errors import RunError

SUMMARY_FILENAME = "run.json"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BenchmarkRef(_Model):
    """Which benchmark, at which revision, a run evaluated."""

    id: str = Field(description="Hub dataset repo id, or the local folder the benchmark came from.")
    name: str = Field(description="The `name` of the benchmark's eval.yaml.")
    revision: str | None = Field(None, description="Dataset commit sha (None for unpublished folders).")


class ModelRef(_Model):
    """Which model ran, through which provider."""

    provider: str = Field(description="Provider name, e.g. `sphinx` or `hf-asr`.")
    name: str = Field(description="Model name as given to the provider, e.g. `en-us` or a repo id.")
    repo_id: str | None = Field(None, description="Hub model repo id, when the model comes from the Hub.")
    revision: str | None = Field(None, description="Model repo commit sha, when known.")
    args: dict[str, str | int | float | bool | None] = Field(default_factory=dict)


class HardwareInfo(_Model):
    """Fingerprint of the machine a run was timed on."""

    cpu: str
    cores: int
    ram_gb: float
    gpu: str | None = None
    gpu_memory_gb: float | None = None
    cuda: str | None = None
    torch: str | None = None
    profile: str | None = Field(None, description="Benchmark hardware profile this machine matches.")


class NormalizerRef(_Model):
    """Text normalizer preset used for scoring."""

    name: str
    version: int


class TimingRules(_Model):
    """How RTFx was measured."""

    batch_size: int = 1
    warmup_samples: int = 0


class TaskSummary(_Model):
    """Scores and timing of one eval.yaml task."""

    task_id: str
    config: str
    split: str
    primary_metric: str = Field(description="`wer` for word tasks, `per` for phoneme tasks.")
    value: float = Field(description="Corpus-level primary metric, as a fraction.")
    ci95: tuple[float, float] = Field(description="Bootstrap 95 % confidence interval of `value`.")
    metrics: dict[str, float] = Field(description="Every computed metric (wer, cer / per, pwed), fractions.")
    substitutions: int
    deletions: int
    insertions: int
    hits: int
    reference_units: int = Field(description="Words (or phonemes) in the scored references.")
    n_samples: int = Field(description="Samples scored.")
    n_excluded: int = Field(0, description="Samples excluded because the normalized reference is empty.")
    n_failed: int = Field(0, description="Samples whose audio or transcription failed (scored as errors).")
    audio_seconds: float
    transcribe_seconds: float
    rtfx: float
    log: str | None = Field(None, description="Inspect log of this task, relative to the run folder.")


class RunSummary(_Model):
    """Everything one run measured; the input of signing and submission."""

    run_id: str
    created_at: datetime
    benchmark: BenchmarkRef
    model: ModelRef
    tasks: list[TaskSummary]
    average: float | None = Field(description="Unweighted mean of the averaged tasks' values (fraction).")
    average_tasks: list[str]
    rtfx: float = Field(description="Audio-weighted RTFx over every timed task.")
    hardware: HardwareInfo
    versions: dict[str, str]
    normalizer: NormalizerRef
    timing: TimingRules

    def task(self, task_id: str) -> TaskSummary:
        """Return the summary of one task.

        Raises:
            RunError: If the run has no such task.
        """
        for task in self.tasks:
            if task.task_id == task_id:
                return task
        raise RunError(f"run {self.run_id} has no task '{task_id}' (tasks: {[t.task_id for t in self.tasks]})")

    def save(self, run_dir: str | Path) -> Path:
        """Write ``run.json`` into `run_dir` and return its path."""
        path = Path(run_dir) / SUMMARY_FILENAME
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, run_dir: str | Path) -> RunSummary:
        """Read ``run.json`` from a run folder.

        Raises:
            RunError: If the folder has no summary or it is not valid.
        """
        path = Path(run_dir) / SUMMARY_FILENAME
        if not path.is_file():
            raise RunError(f"{path} not found: is {run_dir} a folder written by `ffasr-eval run`?")
        try:
            return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise RunError(f"{path} is not a valid run summary: {exc}") from exc
