"""The collector: gather every result for a benchmark, verify, flag, moderate and publish the leaderboard.

`collect` reads the benchmark dataset repo and the model repos holding its results (main and
open PRs) through `huggingface_hub`, verifies every entry with `ffasr_eval.signing`, flags
anomalies, and publishes in one commit ``leaderboard/leaderboard.parquet`` / ``.json``,
``leaderboard/pareto.png``, the README leaderboard section, the append-only submissions log and
the collector's cache. `moderate` records a maintainer's decision on a flagged result.

Example:
    >>> report = collect("ffasr/far-field-bench")
    >>> [(row.rank, row.model, row.values["average"]) for row in report.leaderboard.main_table()][:1]
    [(1, 'alice/asr-large', 12.5)]
    >>> moderate("ffasr/far-field-bench", "r-3f2a9c0d1b2e", "approve", reason="checked the log")
"""

from ffasr_eval.collect._anomalies import Flag, ModelFacts, flag_results, suspicion
from ffasr_eval.collect._collector import (
    CollectReport,
    ModerationRequest,
    collect,
    moderate,
)
from ffasr_eval.collect._console import print_report
from ffasr_eval.collect._leaderboard import (
    Decision,
    Leaderboard,
    Rejection,
    Row,
    build_leaderboard,
)
from ffasr_eval.collect._plot import pareto_front, render_pareto
from ffasr_eval.collect._render import (
    END_MARKER,
    START_MARKER,
    render_section,
    update_readme,
)

__all__ = [
    "END_MARKER",
    "START_MARKER",
    "CheckedResult",
    "CollectReport",
    "Decision",
    "Flag",
    "Leaderboard",
    "ModelFacts",
    "ModerationRequest",
    "Rejection",
    "Row",
    "build_leaderboard",
    "collect",
    "flag_results",
    "moderate",
    "pareto_front",
    "print_report",
    "render_pareto",
    "render_section",
    "suspicion",
    "update_readme",
]
