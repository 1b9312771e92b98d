"""The command-line skeleton: every verb is listed, help works, errors are one line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ffasr_eval._cli.main import COMMANDS, cli


def test_help_lists_every_verb() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for verb in COMMANDS:
        assert verb in result.output


@pytest.mark.parametrize("verb", sorted(COMMANDS))
def test_every_verb_has_help(verb: str) -> None:
    result = CliRunner().invoke(cli, [verb, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
