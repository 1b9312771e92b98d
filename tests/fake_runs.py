"""Run summaries as `ffasr-eval run` writes them, for tests that need a run but not a model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

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
PROFILE = "cpu-2c"


def fake_summary(
    rates: Mapping[str, float],
    *,
    benchmark_id: str,
    benchmark_revision: str | None = None,
    average_tasks: Sequence[str] = WORD_TASKS,
    ci_half_width: float = 0.1,
    rtfx: float = 8.0,
    task_rtfx: Mapping[str, float] | None = None,
    profile: str | None = PROFILE,
    cores: int = 2,
    gpu: str | None = None,
    run_id: str = "run",
    created_at: datetime = datetime(2026, 11, 23, 2, 30, tzinfo=UTC),
    model: ModelRef = ModelRef(provider="sphinx", name="en-us"),
    log: str | None = None,
) -> RunSummary:
    """A summary whose tasks have the given error rates (fractions; ``phonemes`` scores PER).

    Each task has 4 samples and 12 s of audio; its CI is the rate ± `ci_half_width` of it; the
    average is the mean of the `average_tasks` present.
    """
    task_rtfx = task_rtfx or {}
    tasks = [
        TaskSummary(
            task_id=task, config="near_field" if task == "phonemes" else task, split="test",
            primary_metric="per" if task == "phonemes" else "wer", value=rate,
            ci95=(rate * (1 - ci_half_width), rate * (1 + ci_half_width)),
            metrics={"per" if task == "phonemes" else "wer": rate}, substitutions=3, deletions=1, insertions=1,
            hits=20, reference_units=24, n_samples=4, audio_seconds=12.0,
            transcribe_seconds=12.0 / task_rtfx.get(task, rtfx), rtfx=task_rtfx.get(task, rtfx), log=log,
        )
        for task, rate in rates.items()
    ]
    present = [t for t in average_tasks if t in rates]
    return RunSummary(
        run_id=run_id,
        created_at=created_at,
        benchmark=BenchmarkRef(id=benchmark_id, name="FFASR", revision=benchmark_revision),
        model=model,
        tasks=tasks,
        average=sum(rates[t] for t in present) / len(present) if present else None,
        average_tasks=list(average_tasks),
        rtfx=rtfx,
        hardware=HardwareInfo(cpu="Test CPU", cores=cores, ram_gb=8.0, gpu=gpu, profile=profile),
        versions={"ffasr-eval": "0.1.0", "inspect-ai": "0.3.285"},
        normalizer=NormalizerRef(name="english", version=1),
        timing=TimingRules(batch_size=1, warmup_samples=2),
    )
