"""Fixtures of the signing/results/submit tests: run summaries, eval logs, keys, registries."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from fake_runs import fake_summary
from signing_helpers import (
    DATASET,
    DATASET_SHA,
    LOG_BYTES,
    LOG_PATH,
    MODEL,
    MODEL_SHA,
    PROFILE,
    RATES,
    WORD_TASKS,
)

from ffasr_eval.results import ResultPayload, build_entries, build_payload
from ffasr_eval.signing import EvaluatorKey, EvaluatorRegistry, sign_payload
from ffasr_eval.summary import RunSummary


@pytest.fixture(autouse=True)
def _no_configured_key(tmp_path_factory, monkeypatch) -> None:
    """Isolate tests from the developer's own key ($FFASR_KEY, ~/.config/ffasr-eval/evaluator.pem)."""
    monkeypatch.delenv("FFASR_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


@pytest.fixture(scope="session")
def make_summary() -> Callable[..., RunSummary]:
    """Build a RunSummary like the runner writes (tasks, average, timing, hardware)."""

    def make(
        rates: dict[str, float] | None = None,
        *,
        average_tasks: list[str] | None = None,
        profile: str | None = PROFILE,
        benchmark_id: str = DATASET,
        benchmark_revision: str | None = DATASET_SHA,
        run_id: str = "run-2026-11-23-sphinx",
    ) -> RunSummary:
        return fake_summary(dict(RATES if rates is None else rates), benchmark_id=benchmark_id,
                            benchmark_revision=benchmark_revision, profile=profile, run_id=run_id,
                            average_tasks=WORD_TASKS if average_tasks is None else average_tasks,
                            ci_half_width=0.2, log="logs/run.eval")

    return make


@pytest.fixture(scope="session")
def official_key() -> EvaluatorKey:
    return EvaluatorKey.generate(owner="ffasr")


@pytest.fixture(scope="session")
def community_key() -> EvaluatorKey:
    return EvaluatorKey.generate(owner="bob")


@pytest.fixture(scope="session")
def stranger_key() -> EvaluatorKey:
    return EvaluatorKey.generate(owner="mallory")


@pytest.fixture(scope="session")
def registry(official_key: EvaluatorKey, community_key: EvaluatorKey) -> EvaluatorRegistry:
    return EvaluatorRegistry.model_validate({"evaluators": [
        official_key.evaluator_entry(role="official", hardware_profile=PROFILE),
        community_key.evaluator_entry(role="community"),
    ]})


@pytest.fixture(scope="session")
def make_payload(make_summary) -> Callable[..., ResultPayload]:
    """A payload for MODEL on DATASET, signed in `role` by `evaluator`."""

    def make(evaluator: str = "ffasr", role: str = "official", **summary_args) -> ResultPayload:
        return build_payload(
            make_summary(**summary_args), model_repo=MODEL, model_revision=MODEL_SHA, dataset_id=DATASET,
            dataset_revision=DATASET_SHA, eval_logs={LOG_PATH: hashlib.sha256(LOG_BYTES).hexdigest()},
            evaluator=evaluator, role=role,
        )

    return make


@pytest.fixture(scope="session")
def signed_entries(make_payload, official_key):
    """Entries of a run signed by the official key (build_entries(payload, token))."""

    def make(payload: ResultPayload | None = None, key: EvaluatorKey | None = None):
        payload = payload or make_payload()
        return build_entries(payload, verify_token=sign_payload(payload, key or official_key))

    return make


@pytest.fixture
def run_dir(tmp_path: Path, make_summary) -> Callable[..., Path]:
    """A run folder: run.json + a small real Inspect-style log (a zip with a JSON header)."""

    def make(summary: RunSummary | None = None, name: str = "run") -> Path:
        folder = tmp_path / name
        (folder / "logs").mkdir(parents=True)
        with zipfile.ZipFile(folder / "logs" / "run.eval", "w") as archive:
            archive.writestr("header.json", json.dumps({"eval": {"task": "near_field"}, "status": "success"}))
        (summary or make_summary()).save(folder)
        return folder

    return make
