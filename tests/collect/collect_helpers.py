"""Builders of the collector tests: run summaries and really signed result entries (no model runs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fake_runs import PROFILE, WORD_TASKS, fake_summary
from huggingface_hub import EvalResultEntry

from ffasr_eval.results import ResultSource, build_entries, build_payload
from ffasr_eval.signing import (
    EvaluatorKey,
    EvaluatorRegistry,
    sign_payload,
)
from ffasr_eval.summary import ModelRef, RunSummary

TASKS = [*WORD_TASKS, "phonemes"]
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
    """A RunSummary as the runner writes it (no model run needed), `day` days into November."""
    return fake_summary(error_rates, benchmark_id=DATASET, benchmark_revision=dataset_revision, rtfx=rtfx,
                        task_rtfx=task_rtfx, profile=profile, cores=cores, gpu=gpu, run_id=run_id,
                        created_at=datetime(2026, 11, 1, 12, tzinfo=UTC) + timedelta(days=day),
                        model=ModelRef(provider="hf-asr", name="m"))


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


