"""`ffasr-eval verify PATH|REPO`: classify every result entry as verified/signed/unsigned/invalid."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from ffasr_eval.signing import BenchmarkTrust, EntryVerdict, EvaluatorRegistry, load_benchmark_trust, verify_path, verify_repo

_STYLE = {"verified": "bold green", "signed": "cyan", "unsigned": "yellow", "invalid": "bold red"}


@click.command()
@click.argument("target")
@click.option("--benchmark", default=None, help="Benchmark folder or Hub dataset id: its eval.yaml gives the "
              "hardware profile and averaged tasks, its evaluators.yaml the trusted keys.")
@click.option("--evaluators", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Trusted-evaluator registry to use instead of the benchmark's.")
@click.option("--model", "model_repo", default=None,
              help="Model repo a local PATH belongs to (checks the token's model binding).")
@click.option("--revision", default=None, help="Revision of a Hub REPO to read (default: main; e.g. refs/pr/3).")
@click.pass_context
def verify(
    ctx: click.Context, target: str, benchmark: str | None, evaluators: Path | None, model_repo: str | None, revision: str | None
) -> None:
    """Verify signed .eval_results files in a local PATH or a Hub model REPO.

    Every entry is verified (official key, matching hardware, all bindings hold), signed (valid
    signature, key not trusted), unsigned, or invalid (the reason says why). Exits with status 1
    if any entry is invalid.

    \b
    Examples:
      ffasr-eval verify .eval_results --benchmark bench/ --model cmu/pocketsphinx-en-us
      ffasr-eval verify alice/whisper-tiny-ft --benchmark ffasr/far-field-bench
      ffasr-eval verify alice/whisper-tiny-ft --revision refs/pr/1 --evaluators evaluators.yaml
    """
    if benchmark is not None:
        trust = load_benchmark_trust(benchmark, evaluators=evaluators)
    elif evaluators is not None:
        trust = BenchmarkTrust(evaluators=EvaluatorRegistry.load(evaluators))
    else:
        trust = None
    if Path(target).exists():
        results = verify_path(target, model_repo=model_repo, trust=trust)
    else:
        results = verify_repo(target, revision=revision, trust=trust)
    console = Console(width=None if sys.stdout.isatty() else 240)  # logs and pipes get whole reasons
    console.print(_table(results))
    verdicts = [v for file_verdicts in results.values() for v in file_verdicts]
    counts = {status: sum(v.status == status for v in verdicts) for status in _STYLE}
    console.print(", ".join(f"{n} {status}" for status, n in counts.items()))
    if trust is None:
        console.print("no trusted keys given (--benchmark or --evaluators): nothing can be verified")
    if Path(target).exists() and model_repo is None:
        console.print("model binding not checked: pass --model REPO for a local path")
    if counts["invalid"]:
        ctx.exit(1)


def _table(results: dict[str, list[EntryVerdict]]) -> Table:
    table = Table("file", "task", "value", "status", "key", "reason")
    for name, verdicts in results.items():
        for verdict in verdicts:
            style = _STYLE[verdict.status]
            table.add_row(
                name, verdict.task_id, f"{verdict.entry.value}", f"[{style}]{verdict.status}[/]",
                verdict.kid or "-", verdict.reason,
            )
    return table
