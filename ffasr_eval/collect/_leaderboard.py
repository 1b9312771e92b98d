"""The leaderboard table: one row per valid result, ranked in the primary metric's direction.

Which rows the main table shows:

- results with flags are *held* until a maintainer approves them; rejected results are never shown;
- per model, the *latest* shown result is ranked: the most trusted status first (verified, then
  signed, then unsigned), then the newest run; the model's other results are linked as older;
- invalid results never become rows; they are listed with their reason.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Literal

from ffasr_eval.collect._anomalies import Flag, ModelFacts, suspicion
from ffasr_eval.collect._benchmark import BenchmarkInfo
from ffasr_eval.collect._state import CheckedResult
from ffasr_eval.collect._verify import STATUS_ORDER

RowState = Literal["shown", "held", "rejected"]


@dataclass(frozen=True)
class Decision:
    """A maintainer's decision on a result (from the submissions log)."""

    action: Literal["approve", "reject"]
    reason: str
    by: str
    at: str


@dataclass
class Row:
    """One valid result as the leaderboard shows it.

    Attributes:
        id: Result id (what `ffasr-eval moderate` takes).
        model: Model repo.
        state: shown (main table), held (flagged, awaiting a maintainer) or rejected.
        latest: The result ranked for its model (the others are linked from it as `older`).
        rank: Rank in the main table (1 = best), None when not ranked.
        base_rank: Rank among base models only (models whose card names no base model).
        status: verified, signed or unsigned.
        community: The result comes from an open PR by someone other than the repo's owner.
        values: Task id -> value in percent, plus `average`.
        rtfx: Overall RTFx; `rtfx_comparable` says whether it was timed on the benchmark's profile.
        flags: One sentence per anomaly; `flag_codes` the kinds; `suspicion` their combined score.
        decision: The maintainer's decision, if any ("approve: reason" / "reject: reason").
        older: Other results of the same model (ids), newest first.
        source_url: The result file on the Hub; `log_url` its eval log.
    """

    id: str
    model: str
    state: RowState
    status: str
    community: bool
    ref: str
    pr: int | None
    submitter: str | None
    evaluator: str | None
    model_revision: str | None
    dataset_revision: str | None
    date: str | None
    values: dict[str, float]
    rtfx: float | None
    rtfx_comparable: bool
    hardware_profile: str | None
    parameters: int | None
    base_models: list[str]
    flags: list[str]
    flag_codes: list[str]
    suspicion: float
    decision: str | None
    source_url: str
    log_url: str | None
    latest: bool = False
    rank: int | None = None
    base_rank: int | None = None
    older: list[str] = field(default_factory=list)

    @property
    def is_base_model(self) -> bool:
        """The model's card names no base model."""
        return not self.base_models

    @property
    def badges(self) -> list[str]:
        """Badges shown next to the model: its status, and `community` for open community PRs."""
        return [self.status] + (["community"] if self.community else [])


@dataclass(frozen=True)
class Rejection:
    """A result that never reaches the leaderboard, with the reason."""

    id: str
    model: str
    ref: str
    pr: int | None
    submitter: str | None
    reason: str
    source_url: str


@dataclass
class Leaderboard:
    """Everything the collector publishes about a benchmark's results."""

    benchmark: str
    name: str
    tasks: list[str]
    metrics: dict[str, str]
    columns: list[str]
    lower_is_better: bool
    profile: str | None
    rows: list[Row]
    rejections: list[Rejection]

    def main_table(self, *, base_models_only: bool = False) -> list[Row]:
        """Ranked rows of the main table (optionally only base models), best first."""
        key = "base_rank" if base_models_only else "rank"
        return sorted((r for r in self.rows if getattr(r, key) is not None), key=lambda r: getattr(r, key))

    def held(self) -> list[Row]:
        """Flagged results awaiting a maintainer, most suspicious first."""
        return sorted((r for r in self.rows if r.state == "held"), key=lambda r: (-r.suspicion, r.model, r.id))

    def row(self, result_id: str) -> Row | None:
        """The row of a result id, or None."""
        return next((r for r in self.rows if r.id == result_id), None)

    def to_dict(self) -> dict:
        """JSON-ready form (``leaderboard.json``)."""
        names = [f.name for f in fields(Row)]
        rows = [{**{name: getattr(row, name) for name in names}, "badges": row.badges, "is_base_model": row.is_base_model}
                for row in self.rows]
        return {
            "benchmark": self.benchmark,
            "name": self.name,
            "tasks": self.tasks,
            "metrics": self.metrics,
            "columns": self.columns,
            "lower_is_better": self.lower_is_better,
            "profile": self.profile,
            "rows": rows,
            "rejections": [asdict(r) for r in self.rejections],
        }


def build_leaderboard(
    results: Sequence[CheckedResult],
    flags: Mapping[str, list[Flag]],
    facts: Mapping[str, ModelFacts],
    decisions: Mapping[str, Decision],
    benchmark: BenchmarkInfo,
    *,
    endpoint: str,
) -> Leaderboard:
    """Rank results into the leaderboard.

    Args:
        results: Every checked result (invalid ones become rejections).
        flags: Result id -> anomaly flags (valid results).
        facts: Model repo -> size and base models.
        decisions: Result id -> the latest maintainer decision.
        benchmark: The benchmark (columns, direction, profile).
        endpoint: Hub address used to build links.

    Example:
        >>> board = build_leaderboard(results, flags, facts, {}, benchmark, endpoint="https://huggingface.co")
        >>> [row.model for row in board.main_table()][:2]
        ['alice/asr-large', 'bob/asr-small']
    """
    rows, rejections = [], []
    for result in results:
        record = result.record
        source_url = f"{endpoint}/{record.source_url_path}"
        if result.status == "invalid":
            rejections.append(Rejection(result.id, record.model_repo, record.ref, record.pr, record.submitter, result.reason, source_url))
            continue
        found = flags.get(result.id, [])
        decision = decisions.get(result.id)
        state: RowState = "held" if found else "shown"
        if decision is not None:
            state = "shown" if decision.action == "approve" else "rejected"
        model_facts = facts.get(result.model_repo, ModelFacts())
        rows.append(Row(
            id=result.id,
            model=record.model_repo,
            state=state,
            status=result.status,
            community=record.pr is not None and record.submitter != record.model_repo.split("/")[0],
            ref=record.ref,
            pr=record.pr,
            submitter=record.submitter,
            evaluator=result.evaluator,
            model_revision=result.model_revision,
            dataset_revision=result.dataset_revision,
            date=result.date,
            values=dict(result.values),
            rtfx=result.rtfx,
            rtfx_comparable=result.rtfx_comparable,
            hardware_profile=result.hardware.profile if result.hardware is not None else None,
            parameters=model_facts.parameters,
            base_models=list(model_facts.base_models),
            flags=[f.message for f in found],
            flag_codes=[f.code for f in found],
            suspicion=suspicion(found),
            decision=f"{decision.action}: {decision.reason} ({decision.by})" if decision else None,
            source_url=source_url,
            log_url=result.source_url,
        ))
    _pick_latest(rows)
    _rank(rows, benchmark.lower_is_better)
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.model, r.id))
    rejections.sort(key=lambda r: (r.model, r.id))
    return Leaderboard(
        benchmark=benchmark.repo_id,
        name=benchmark.name,
        tasks=list(benchmark.tasks),
        metrics=dict(benchmark.metrics),
        columns=benchmark.columns,
        lower_is_better=benchmark.lower_is_better,
        profile=benchmark.profile,
        rows=rows,
        rejections=rejections,
    )


def _pick_latest(rows: list[Row]) -> None:
    by_model: dict[str, list[Row]] = {}
    for row in rows:
        by_model.setdefault(row.model, []).append(row)
    for model_rows in by_model.values():
        newest_first = sorted(model_rows, key=lambda r: (r.date or "", r.id), reverse=True)
        shown = sorted(
            (r for r in newest_first if r.state == "shown"),
            key=lambda r: STATUS_ORDER.index(r.status),  # stable: newest first within a status
            reverse=True,
        )
        if shown:
            shown[0].latest = True
        for row in model_rows:
            row.older = [r.id for r in newest_first if r is not row]


def _rank(rows: list[Row], lower_is_better: bool) -> None:
    def key(row: Row) -> tuple[bool, float, str]:
        value = row.values.get("average")
        missing = value is None or math.isnan(value)
        return missing, (0.0 if missing else (value if lower_is_better else -value)), row.model

    ranked = sorted((r for r in rows if r.latest), key=key)
    for rank, row in enumerate(ranked, start=1):
        row.rank = rank
    for rank, row in enumerate((r for r in ranked if r.is_base_model), start=1):
        row.base_rank = rank
