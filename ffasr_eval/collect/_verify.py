"""Verify a cached result file and turn it into the facts the leaderboard shows.

The signing module classifies each entry (verified / signed / unsigned / invalid) and checks the
token's bindings to the model repo and its history. The collector adds the benchmark's own
binding (the dataset revision must be one the benchmark published) and decides the status of the
whole result: its entries stand or fall together, so one invalid entry makes the result invalid,
and a result is only as trusted as its least trusted entry.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from huggingface_hub import parse_eval_result_entries

from ffasr_eval.collect._benchmark import BenchmarkInfo
from ffasr_eval.collect._state import CheckedResult, Hardware, ResultRecord
from ffasr_eval.results import AVERAGE_TASK_ID
from ffasr_eval.signing import Status, verify_entries

#: Trust order of statuses, least trusted first.
STATUS_ORDER: tuple[Status, ...] = ("invalid", "unsigned", "signed", "verified")
_NOTES_RTFX = re.compile(r"RTFx\s+([0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?)", re.IGNORECASE)


def check_result(record: ResultRecord, benchmark: BenchmarkInfo, history: Collection[str]) -> CheckedResult:
    """Verify one result file just read against the benchmark.

    Args:
        record: The result file, with its entries.
        benchmark: The benchmark (trusted keys, profile, published revisions).
        history: Commits of the model repo the token's model revision must be one of.

    Example:
        >>> checked = check_result(record, benchmark, history={"3f2a..."})
        >>> checked.status, checked.reason
        ('verified', 'official key q0v3... (ffasr) on cpu-2c; all bindings hold')
    """
    if record.error is not None:
        return CheckedResult(record=record, status="invalid", reason=record.error)
    entries = parse_eval_result_entries(record.entries)
    trust = benchmark.trust
    verdicts = verify_entries(
        entries,
        model_repo=record.model_repo,
        evaluators=trust.evaluators,
        benchmark_profile=trust.profile,
        model_revisions=history,
        average_tasks=trust.average_tasks,
    )
    problems = _grouped([(v.task_id, v.reason) for v in verdicts if v.status == "invalid"], len(verdicts))
    unpublished = sorted({e.dataset_revision or "none" for e in entries} - benchmark.revisions)
    if unpublished:
        problems.append(
            f"dataset revision {', '.join(r[:12] for r in unpublished)} is not a revision {benchmark.repo_id} published"
        )
    unknown = sorted({e.task_id for e in entries} - set(benchmark.columns))
    if unknown:
        problems.append(f"tasks {unknown} are not tasks of {benchmark.repo_id}")
    duplicated = sorted({e.task_id for e in entries if sum(o.task_id == e.task_id for o in entries) > 1})
    if duplicated:
        problems.append(f"tasks {duplicated} appear more than once in {record.path}")
    first = entries[0]
    common = {
        "values": {e.task_id: float(e.value) for e in entries},
        "dataset_revision": first.dataset_revision,
        "date": str(first.date) if first.date is not None else None,
        "source_url": first.source_url,
    }
    if problems:
        return CheckedResult(record=record, status="invalid", reason="; ".join(problems), **common)
    status = min((v.status for v in verdicts), key=STATUS_ORDER.index)
    weakest = next(v for v in verdicts if v.status == status)
    payload = weakest.payload
    if payload is None:  # unsigned: RTFx is only what the notes claim
        rtfx = _rtfx_from_notes(next((e.notes for e in entries if e.task_id == AVERAGE_TASK_ID), None))
        return CheckedResult(record=record, status=status, reason=weakest.reason, rtfx=rtfx, **common)
    hardware = payload.hardware
    return CheckedResult(
        record=record,
        status=status,
        reason=weakest.reason,
        rtfx=payload.rtfx,
        task_rtfx={task: claim.rtfx for task, claim in payload.tasks.items()},
        ci95={task: claim.ci95 for task, claim in payload.tasks.items()},
        rtfx_comparable=trust.profile is not None and hardware.profile == trust.profile,
        hardware=Hardware(profile=hardware.profile, cores=hardware.cores, gpu=hardware.gpu),
        evaluator=payload.iss,
        model_revision=payload.model.revision,
        **common,
    )


def _grouped(problems: list[tuple[str, str]], total: int) -> list[str]:
    """One line per distinct reason, naming the tasks it applies to ("every entry" when all)."""
    tasks: dict[str, list[str]] = {}
    for task, reason in problems:
        tasks.setdefault(reason, []).append(task)
    return [
        f"{'every entry' if len(names) == total and total > 1 else ', '.join(names)}: {reason}"
        for reason, names in tasks.items()
    ]


def _rtfx_from_notes(notes: str | None) -> float | None:
    match = _NOTES_RTFX.search(notes or "")
    return float(match.group(1)) if match else None
