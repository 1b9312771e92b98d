"""`ffasr-eval submit RUN_DIR --model REPO`: sign a run and open the result PR."""

from __future__ import annotations

from pathlib import Path

import click

from ffasr_eval.publish import PreparedResult, prepare_result, submit as submit_run, write_result
from ffasr_eval.results import AVERAGE_TASK_ID
from ffasr_eval.signing import resolve_key


@click.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--model", "model_repo", required=True, help="Hub model repo the results are for (ORG/NAME).")
@click.option("--key", type=click.Path(dir_okay=False, path_type=Path), default=None, envvar="FFASR_KEY",
              help="Private key to sign with [env FFASR_KEY; default ~/.config/ffasr-eval/evaluator.pem if it "
              "exists; otherwise the result is unsigned].")
@click.option("--benchmark", "benchmark_repo", default=None,
              help="Hub dataset id of the benchmark, when the run used a local benchmark folder.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the files into this folder (e.g. a checkout of the model repo) instead of opening a PR.")
@click.option("--model-revision", default=None,
              help="With --out: model commit to bind when the run did not record one.")
def submit(
    run_dir: Path, model_repo: str, key: Path | None, benchmark_repo: str | None, out_dir: Path | None,
    model_revision: str | None,
) -> None:
    """Sign RUN_DIR's results and open one PR on the model repo.

    The PR adds .eval_results/<benchmark>.yaml and the run's Inspect eval logs. If you own the
    repo (your user or one of your orgs) it is an author result, otherwise a community result
    the owner can merge. A PR proposing the same results as an open one is refused.
    The Hub address and token come from HF_ENDPOINT / HF_TOKEN.

    \b
    Examples:
      ffasr-eval submit runs/whisper-tiny --model alice/whisper-tiny-ft
      ffasr-eval submit runs/sphinx --model cmu/pocketsphinx-en-us --key team.pem --benchmark ffasr/bench
      ffasr-eval submit runs/sphinx --model cmu/pocketsphinx-en-us --benchmark ffasr/bench \\
          --model-revision v5.1.1 --out .        # offline: write .eval_results/ and eval_logs/ here
    """
    if out_dir is not None:
        prepared = prepare_result(run_dir, model_repo, model_revision=model_revision, key=resolve_key(key),
                                  benchmark_repo=benchmark_repo)
        for path in write_result(prepared, out_dir):
            click.echo(f"wrote {path}")
    else:
        opened = submit_run(run_dir, model_repo, key=key, benchmark_repo=benchmark_repo)
        prepared = opened.result
        click.echo(f"opened {opened.kind} result PR #{opened.pr_num}: {opened.pr_url}")
    _print_summary(prepared)


def _print_summary(prepared: PreparedResult) -> None:
    signed = f"signed with key {prepared.kid}" if prepared.kid else "unsigned (no key configured)"
    click.echo(f"  {prepared.results_path}, {signed}, model revision {prepared.payload.model.revision[:12]}")
    for entry in prepared.entries:
        marker = "=" if entry.task_id == AVERAGE_TASK_ID else " "
        click.echo(f"  {marker} {entry.task_id:<12} {entry.value:>9.4f} %")
