"""ffasr-eval: far-field speech recognition benchmarks as Hugging Face Community Evals.

The public API, by user:

- everyone: `load_spec` / `check_spec` (eval.yaml), `normalize` and `ErrorCounts` (scoring);
- model authors and community submitters: `run_benchmark`, `rescore`, `RunSummary` (a run's
  results), `submit`, `create_key`, `load_key`, `load_results`, `verify_entries`;
- dataset owners: `build_benchmark`, `push_benchmark`, `collect`, `moderate`, `EvaluatorRegistry`,
  `request_evaluation`, `work_once` (the official queue);
- everyone without huggingface.co: `LocalHub` (the embedded Hub).

Names are imported lazily (PEP 562), so ``import ffasr_eval`` stays light and does not import
`huggingface_hub` before a program had the chance to set ``HF_ENDPOINT``.

Example:
    >>> import ffasr_eval
    >>> ffasr_eval.normalize("Twenty-one colours, please!")
    '21 colors please'
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from ffasr_eval.errors import FFASRError

try:
    __version__ = version("ffasr-eval")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

_LAZY: dict[str, str] = {
    "CollectReport": "ffasr_eval.collect",
    "EntryVerdict": "ffasr_eval.signing",
    "ErrorCounts": "ffasr_eval.scoring",
    "EvalSpec": "ffasr_eval.spec",
    "EvaluatorRegistry": "ffasr_eval.signing",
    "LocalHub": "ffasr_eval.hub",
    "RunSummary": "ffasr_eval.summary",
    "SubmitResult": "ffasr_eval.publish",
    "TaskSpec": "ffasr_eval.spec",
    "TaskSummary": "ffasr_eval.summary",
    "build_benchmark": "ffasr_eval.data",
    "check_spec": "ffasr_eval.spec",
    "collect": "ffasr_eval.collect",
    "create_key": "ffasr_eval.signing",
    "get_normalizer": "ffasr_eval.scoring",
    "load_key": "ffasr_eval.signing",
    "load_results": "ffasr_eval.results",
    "load_spec": "ffasr_eval.spec",
    "moderate": "ffasr_eval.collect",
    "normalize": "ffasr_eval.scoring",
    "push_benchmark": "ffasr_eval.data",
    "request_evaluation": "ffasr_eval.queue",
    "rescore": "ffasr_eval.runner",
    "run_benchmark": "ffasr_eval.runner",
    "spec_for_configs": "ffasr_eval.spec",
    "submit": "ffasr_eval.publish",
    "verify_entries": "ffasr_eval.signing",
    "work_once": "ffasr_eval.queue",
}

__all__ = [
    "CollectReport",
    "EntryVerdict",
    "ErrorCounts",
    "EvalSpec",
    "EvaluatorRegistry",
    "FFASRError",
    "LocalHub",
    "RunSummary",
    "SubmitResult",
    "TaskSpec",
    "TaskSummary",
    "__version__",
    "build_benchmark",
    "check_spec",
    "collect",
    "create_key",
    "get_normalizer",
    "load_key",
    "load_results",
    "load_spec",
    "moderate",
    "normalize",
    "push_benchmark",
    "request_evaluation",
    "rescore",
    "run_benchmark",
    "spec_for_configs",
    "submit",
    "verify_entries",
    "work_once",
]

if TYPE_CHECKING:
    from ffasr_eval.collect import CollectReport, collect, moderate
    from ffasr_eval.data import build_benchmark, push_benchmark
    from ffasr_eval.hub import LocalHub
    from ffasr_eval.publish import SubmitResult, submit
    from ffasr_eval.queue import request_evaluation, work_once
    from ffasr_eval.results import load_results
    from ffasr_eval.runner import rescore, run_benchmark
    from ffasr_eval.scoring import ErrorCounts, get_normalizer, normalize
    from ffasr_eval.signing import EntryVerdict, EvaluatorRegistry, create_key, load_key, verify_entries
    from ffasr_eval.spec import EvalSpec, TaskSpec, check_spec, load_spec, spec_for_configs
    from ffasr_eval.summary import RunSummary, TaskSummary


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ffasr_eval' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
