"""Placeholder for verbs that are planned but not built yet (exit code 2)."""

from __future__ import annotations

import click

from ffasr_eval.errors import NotYetAvailableError


def planned_command(name: str, summary: str) -> click.Command:
    """A command that accepts any arguments and says it is not available yet."""

    @click.command(
        name=name,
        help=f"{summary}\n\nNot yet available in this version.",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )
    def _command() -> None:
        raise NotYetAvailableError(f"`ffasr-eval {name}` is not yet available in this version.")

    return _command
