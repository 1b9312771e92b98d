"""Planned verb(s); replaced when built."""

from ffasr_eval._cli._planned import planned_command

validate = planned_command("validate", "ffasr-eval validate")
