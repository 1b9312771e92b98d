"""`ffasr-eval collect` and `ffasr-eval moderate`: build, publish and moderate the leaderboard."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from ffasr_eval.collect import print_report
from ffasr_eval.collect import collect as run_collect
from ffasr_eval.collect import moderate as run_moderate



@click.command()
@click.option("--benchmark", required=True, help="Hub dataset id of the benchmark, e.g. ffasr/far-field-bench.")
@click.option("--dry-run", is_flag=True, help="Compute and print everything; publish nothing.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write the published files (leaderboard/*, README.md) into this folder.")
@click.option("--endpoint", envvar="HF_ENDPOINT", default=None, help="Hub address (default: $HF_ENDPOINT or huggingface.co).")
def collect(benchmark: str, dry_run: bool, out: Path | None, endpoint: str | None) -> None:
    """Gather, verify, flag and publish the leaderboard of a benchmark.

    Reads every model repo holding results for the benchmark (main and open pull requests;
    only repos whose head commits changed since the last collect), verifies each result's
    signature and bindings, flags anomalies, and publishes in one commit to the dataset repo:
    leaderboard/leaderboard.parquet and .json, leaderboard/pareto.png, the README leaderboard
    section and the append-only leaderboard/submissions.jsonl. Flagged results wait for
    `ffasr-eval moderate`. The Hub and token come from HF_ENDPOINT / HF_TOKEN.

    \b
    Examples:
      ffasr-eval collect --benchmark ffasr/far-field-bench
      ffasr-eval collect --benchmark ffasr/far-field-bench --dry-run --out /tmp/board
    """
    report = run_collect(benchmark, endpoint=endpoint, dry_run=dry_run, out=out, progress=sys.stderr.isatty())
    console = _console()
    print_report(console, report)
    if dry_run:
        console.print("dry run: nothing published")
    elif report.commit is None:
        console.print("nothing changed since the last collect: nothing published")
    else:
        console.print(f"published commit {report.commit[:12]} to {benchmark} ({report.attempts} attempt(s))")


@click.command()
@click.argument("action", type=click.Choice(["approve", "reject"]))
@click.argument("result_id")
@click.option("--benchmark", required=True, help="Hub dataset id of the benchmark.")
@click.option("--reason", required=True, help="Why; recorded in the submissions log with who and when.")
@click.option("--endpoint", envvar="HF_ENDPOINT", default=None, help="Hub address (default: $HF_ENDPOINT or huggingface.co).")
def moderate(action: str, result_id: str, benchmark: str, reason: str, endpoint: str | None) -> None:
    """Approve or reject a result (by the id `ffasr-eval collect` prints).

    Flagged results are held out of the main table until a maintainer decides. The decision
    is appended to leaderboard/submissions.jsonl and the leaderboard is republished with it,
    in one commit. Needs write access to the dataset repo (HF_TOKEN).

    \b
    Examples:
      ffasr-eval moderate approve r-3f2a9c0d1b2e --benchmark ffasr/far-field-bench --reason "log checked"
      ffasr-eval moderate reject r-3f2a9c0d1b2e --benchmark ffasr/far-field-bench --reason "trained on test audio"
    """
    report = run_moderate(benchmark, result_id, action, reason=reason, endpoint=endpoint)  # type: ignore[arg-type]
    row = report.leaderboard.row(result_id)
    state = row.state if row is not None else "unknown"
    _console().print(f"{action}d {result_id} ({state}); published commit {(report.commit or 'none')[:12]}")


def _console() -> Console:
    return Console(width=None if sys.stdout.isatty() else 240)  # logs and pipes get whole sentences
