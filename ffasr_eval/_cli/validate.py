"""`ffasr-eval validate [PATH]`: check an eval.yaml against the Hub-core and the runnable rules."""

from __future__ import annotations

from pathlib import Path

import click

from ffasr_eval.spec import SpecIssue, check_spec


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default="eval.yaml")
@click.pass_context
def validate(ctx: click.Context, path: Path) -> None:
    """Check the benchmark definition PATH (default: ./eval.yaml).

    Hub-core rules (name, description, evaluation_framework, tasks[{id, config, split}]) and the
    rules ffasr-eval needs to run it (field_spec, solvers, scorers, the `ffasr` block) are
    checked separately, so a file the Hub accepts but this toolkit cannot run says so.
    Exits 0 when the file is runnable, 1 otherwise, printing every problem as
    FILE:LINE: FIELD: what was expected.

    \b
    Examples:
      ffasr-eval validate
      ffasr-eval validate bench/eval.yaml
    """
    report = check_spec(path)
    if report.spec is not None:
        spec = report.spec
        averaged = ", ".join(spec.ffasr.average) or "none"
        click.echo(f"{path}: OK: {spec.name}: {len(spec.tasks)} tasks; averaged: {averaged}")
        return
    if report.hub_errors:
        click.echo(f"{path}: not valid for the Hub:", err=True)
        _echo(path, report.hub_errors)
    if report.runnable_errors:
        head = "also not runnable by ffasr-eval:" if report.hub_errors else "valid for the Hub, but not runnable by ffasr-eval:"
        click.echo(f"{path}: {head}", err=True)
        _echo(path, report.runnable_errors)
    ctx.exit(1)


def _echo(path: Path, issues: tuple[SpecIssue, ...]) -> None:
    for issue in issues:
        where = f"{path}:{issue.line}" if issue.line is not None else str(path)
        click.echo(f"  {where}: {issue.field or '<file>'}: {issue.message}", err=True)
