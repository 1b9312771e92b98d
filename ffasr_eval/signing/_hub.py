"""The embedded Hub's leaderboard `verified` flag, decided by this toolkit's verification.

Start the Hub with ``LocalHub(verifier="ffasr_eval.signing:hub_verifier")``: an entry is marked
verified exactly when `verify_entries` says ``verified`` for it, with the trust settings
(``eval.yaml``, ``evaluators.yaml``) of the benchmark dataset as published on that Hub's ``main``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from huggingface_hub import parse_eval_result_entries

from ffasr_eval.errors import FFASRError, SpecError
from ffasr_eval.signing._evaluators import EvaluatorRegistry
from ffasr_eval.signing._verify import verify_entries
from ffasr_eval.spec import EvalSpec, check_text

if TYPE_CHECKING:
    from ffasr_eval.hub._evals import ResultContext


def hub_verifier(context: ResultContext) -> bool:
    """Whether one leaderboard entry of the embedded Hub is verified.

    Example:
        >>> with LocalHub(verifier="ffasr_eval.signing:hub_verifier") as hub:
        ...     rows = HfApi(endpoint=hub.endpoint).get_dataset_leaderboard("ffasr/bench")  # doctest: +SKIP
    """
    spec_bytes = context.read_file("dataset", context.dataset_id, "eval.yaml")
    if spec_bytes is None:
        return False
    try:
        spec = _spec(spec_bytes)
        registry = _registry(context.read_file("dataset", context.dataset_id, spec.ffasr.trusted_keys) or b"")
        (entry,) = parse_eval_result_entries([context.entry])
    except (FFASRError, KeyError, ValueError):
        return False
    (verdict,) = verify_entries(
        [entry],
        model_repo=context.model_id,
        evaluators=registry,
        benchmark_profile=spec.ffasr.hardware.profile,
        average_tasks=spec.ffasr.average or None,
    )
    return verdict.status == "verified"


@lru_cache(maxsize=64)
def _spec(text: bytes) -> EvalSpec:
    report = check_text(text.decode("utf-8"), path="eval.yaml")
    if report.spec is None:
        raise report.error() or SpecError("not runnable", path="eval.yaml")
    return report.spec


@lru_cache(maxsize=64)
def _registry(text: bytes) -> EvaluatorRegistry:
    return EvaluatorRegistry.from_yaml(text.decode("utf-8"))
