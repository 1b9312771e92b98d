"""ffasr-eval: far-field speech recognition benchmarks as Hugging Face Community Evals."""

from importlib.metadata import PackageNotFoundError, version

from ffasr_eval.errors import FFASRError
from ffasr_eval.summary import RunSummary, TaskSummary

try:
    __version__ = version("ffasr-eval")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = [
    "FFASRError",
    "RunSummary",
    "TaskSummary",
    "__version__",
]
