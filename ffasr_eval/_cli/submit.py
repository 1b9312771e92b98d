"""Planned verb(s); replaced when built."""

from ffasr_eval._cli._planned import planned_command

submit = planned_command("submit", "ffasr-eval submit")
