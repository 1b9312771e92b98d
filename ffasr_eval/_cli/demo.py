"""`ffasr-eval demo`."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option("--n-utterances", type=click.IntRange(min=2), default=4, show_default=True,
              help="Utterances per acoustic condition of the synthetic benchmark.")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the Hub data, benchmark, runs and leaderboard here (default: a temporary folder).")
@click.option("--keep", is_flag=True, help="Leave the Hub running afterwards, to browse it or open the Space.")
def demo(n_utterances: int, workdir: Path | None, keep: bool) -> None:
    """Run the whole toolkit end to end on an embedded Hub.

    Starts a local Hub, creates a dataset owner, a model author and a community member, builds a
    synthetic far-field benchmark (piper voice, every condition) and pushes it, evaluates the
    PocketSphinx baseline and a second system, submits an author result, a community result and a
    tampered copy, runs the collector, and prints the leaderboard, the flags and the rejections.
    Exits non-zero, naming the stage, if any stage fails.

    \b
    Examples:
      ffasr-eval demo
      ffasr-eval demo --n-utterances 4 --workdir /tmp/ffasr-demo --keep
    """
    from ffasr_eval.demo import run_demo

    run_demo(workdir=workdir, n_utterances=n_utterances, keep=keep)
