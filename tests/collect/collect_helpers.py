"""Builders of the collector tests: run summaries and really signed result entries (no model runs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from huggingface_hub import EvalResultEntry

from ffasr_eval.results import ResultSource, build_entries, build_payload
from ffasr_eval.signing import (
    EvaluatorKey,
    EvaluatorRegistry,
    sign_payload,
)
from ffasr_eval.summary import (
    BenchmarkRef,
    HardwareInfo,
    ModelRef,
    NormalizerRef,
    RunSummary,
    TaskSummary,
    TimingRules,
)

WORD_TASKS = ["near_field", "far_snr20", "far_snr10", "far_snr5", "far_snr0", "moving"]
TASKS = [*WORD_TASKS, "phonemes"]
PROFILE = "cpu-2c"
DATASET = "ffasr-collect/far-field-bench"
#: Hub user owning the benchmark dataset (runs the collector, moderates).
OWNER = "ffasr-collect"


def rates(near: float, step: float = 0.04) -> dict[str, float]:
    """Plausible error rates (fractions): far-field conditions get worse with lower SNR."""
    values = {task: near + step * i for i, task in enumerate(WORD_TASKS)}
    values["moving"] = near + step * 2.5
    values["phonemes"] = near * 0.8
    return values


def summary(
    error_rates: dict[str, float],
    *,
    rtfx: float = 8.0,
    task_rtfx: dict[str, float] | None = None,
    profile: str | None = PROFILE,
    cores: int = 2,
    gpu: str | None = None,
    dataset_revision: str | None = None,
    day: int = 0,
    run_id: str = "run",
) -> RunSummary:
    """A RunSummary as the runner writes it (no model run needed)."""
    task_rtfx = task_rtfx or {}
    tasks = [
        TaskSummary(
            task_id=task, config="near_field" if task == "phonemes" else task, split="test",
            primary_metric="per" if task == "phonemes" else "wer", value=rate, ci95=(rate * 0.9, rate * 1.1),
            metrics={"per" if task == "phonemes" else "wer": rate}, substitutions=3, deletions=1, insertions=1,
            hits=20, reference_units=24, n_samples=4, audio_seconds=12.0, transcribe_seconds=12.0 / task_rtfx.get(task, rtfx),
            rtfx=task_rtfx.get(task, rtfx),
        )
        for task, rate in error_rates.items()
    ]
    return RunSummary(
        run_id=run_id,
        created_at=datetime(2026, 11, 1, 12, tzinfo=UTC) + timedelta(days=day),
        benchmark=BenchmarkRef(id=DATASET, name="FFASR", revision=dataset_revision),
        model=ModelRef(provider="hf-asr", name="m"),
        tasks=tasks,
        average=sum(error_rates[t] for t in WORD_TASKS) / len(WORD_TASKS),
        average_tasks=WORD_TASKS,
        rtfx=rtfx,
        hardware=HardwareInfo(cpu="Test CPU", cores=cores, ram_gb=8.0, gpu=gpu, profile=profile),
        versions={"ffasr-eval": "0.1.0"},
        normalizer=NormalizerRef(name="english", version=1),
        timing=TimingRules(batch_size=1, warmup_samples=2),
    )


@dataclass
class Keys:
    official: EvaluatorKey
    community: EvaluatorKey
    stranger: EvaluatorKey
    revoked: EvaluatorKey

    def registry(self) -> EvaluatorRegistry:
        revoked = self.revoked.evaluator_entry(role="community") | {"revoked": True}
        return EvaluatorRegistry.model_validate({"evaluators": [
            self.official.evaluator_entry(role="official", hardware_profile=PROFILE),
            self.community.evaluator_entry(role="community"),
            revoked,
        ]})


def entries_for(
    run: RunSummary,
    *,
    model_repo: str,
    model_revision: str,
    dataset_id: str,
    dataset_revision: str,
    key: EvaluatorKey | None,
    role: str = "community",
    source_url: str | None = None,
) -> list[EvalResultEntry]:
    """Hub entries of a run, signed with `key` (None: unsigned)."""
    payload = build_payload(
        run, model_repo=model_repo, model_revision=model_revision, dataset_id=dataset_id,
        dataset_revision=dataset_revision, eval_logs={}, evaluator=key.owner if key else "anon", role=role,
    )
    token = sign_payload(payload, key) if key is not None else None
    source = ResultSource(url=source_url) if source_url else None
    return build_entries(payload, verify_token=token, source=source)


