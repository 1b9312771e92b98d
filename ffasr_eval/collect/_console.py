"""A collect report for people: the leaderboard table, held results with their flags, rejections."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ffasr_eval.collect._collector import CollectReport

_BADGE_STYLE = {"verified": "bold green", "signed": "cyan", "unsigned": "yellow", "community": "magenta"}


def print_report(console: Console, report: CollectReport) -> None:
    """Print the main table, the flagged results awaiting moderation, and what was not shown and why."""
    board = report.leaderboard
    table = Table("#", "model", *board.tasks, "average", "RTFx", "badges", "id", title=f"{board.name} leaderboard")
    for row in board.main_table():
        rtfx = "-" if row.rtfx is None else f"{row.rtfx:.1f}" + ("" if row.rtfx_comparable else "*")
        badges = " ".join(f"[{_BADGE_STYLE[b]}]{b}[/]" for b in row.badges)
        table.add_row(
            str(row.rank), row.model, *(_number(row.values.get(t)) for t in board.tasks),
            _number(row.values.get("average")), rtfx, badges, row.id,
        )
    console.print(table)
    console.print("* RTFx not timed on the benchmark's hardware profile (not comparable)")
    held = board.held()
    if held:
        console.print(f"\n[bold]{len(held)} flagged result(s) awaiting `ffasr-eval moderate`:[/]")
        for row in held:
            console.print(f"  {row.id} {row.model} (suspicion {row.suspicion:.2f})")
            for message in row.flags:
                console.print(f"    - {message}")
    rejected = [(r.id, r.model, f"rejected: {r.decision}") for r in board.rows if r.state == "rejected"]
    rejected += [(r.id, r.model, f"invalid: {r.reason}") for r in board.rejections]
    if rejected:
        console.print(f"\n[bold]{len(rejected)} result(s) not shown:[/]")
        for result_id, model, reason in rejected:
            console.print(f"  {result_id} {model}: {reason}")
    for repo, error in sorted(report.errors.items()):
        console.print(f"[yellow]skipped {repo}: {error}[/]")
    console.print(f"\nread {len(report.read)} changed repo(s); {len(report.events)} new log event(s)")


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
